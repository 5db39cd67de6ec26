package dev.ota.tuf.client;

import dev.ota.tuf.DuplicateKeyIdException;
import dev.ota.tuf.ThresholdNotMetException;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import dev.ota.tuf.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.ota.tuf.testing.JsonEdit.at;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Key compromise below threshold, and the malicious mirror (tuf-checklist.md): a role signed by fewer distinct
 * authorised keys than its threshold, signatures repeated to look like more, signatures by keys the role does not
 * authorise, and bytes changed in transit. One valid signature counts per distinct authorised key id.
 */
class KeyCompromiseAttackTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");
    static final SigningKey TIMESTAMP_1 = TestKeys.ed25519("timestamp-1");
    static final SigningKey TIMESTAMP_2 = TestKeys.ed25519("timestamp-2");

    @TempDir
    Path work;

    /** A repository whose timestamp needs two of two keys, already trusted by the client. */
    private TestClient trustingTwoOfTwoTimestamp(RepositorySimulator repo) {
        repo.addKey(TIMESTAMP, TIMESTAMP_2).threshold(TIMESTAMP, 2);
        repo.publishRoot();
        repo.publishTimestamp();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        return client;
    }

    @Test
    void rejectsTimestampSignedBelowThreshold() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingTwoOfTwoTimestamp(repo);
        repo.signers(TIMESTAMP, TIMESTAMP_1); // only one key was stolen
        repo.publishTimestamp();

        ThresholdNotMetException e = client.rejects(ThresholdNotMetException.class, client::refresh);

        assertEquals(TIMESTAMP, e.role());
        assertEquals(2, e.threshold());
        assertEquals(Set.of(TIMESTAMP_1.keyId()), e.validKeyIds());
        assertEquals(Set.of(TIMESTAMP_2.keyId()), e.missingKeyIds());
        assertEquals(2, client.updater.trusted().timestamp().orElseThrow().signed().version());
    }

    @Test
    void rejectsThresholdNotMetWithDuplicateSignatures() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingTwoOfTwoTimestamp(repo);
        repo.signers(TIMESTAMP, TIMESTAMP_1);
        repo.publishTimestamp();
        // The one stolen key's signature, twice: it must not count as two.
        repo.editEnvelope(metadataFile(TIMESTAMP), at("signatures").change(KeyCompromiseAttackTest::repeatFirst));

        DuplicateKeyIdException e = client.rejects(DuplicateKeyIdException.class, client::refresh);

        assertEquals("timestamp.json", e.role());
        assertEquals(TIMESTAMP_1.keyId(), e.keyId());
    }

    @Test
    void rejectsRoleThatListsOneKeyTwiceToMeetItsThreshold() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        // Root's own key lists the timestamp key twice with threshold 2: one key would then suffice.
        repo.publishRoot(at("roles", TIMESTAMP, "keyids").change(KeyCompromiseAttackTest::repeatFirst)
                .and(at("roles", TIMESTAMP, "threshold").set(2)));

        DuplicateKeyIdException e = client.rejects(DuplicateKeyIdException.class, client::refresh);

        assertEquals(TIMESTAMP, e.role());
        assertEquals(TIMESTAMP_1.keyId(), e.keyId());
    }

    @Test
    void rejectsSignatureByAKeyNotAuthorisedForTheRole() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        SigningKey snapshotKey = TestKeys.ed25519("snapshot-1"); // listed in root, but for snapshot only
        repo.signers(TIMESTAMP, snapshotKey);
        repo.publishTimestamp();

        ThresholdNotMetException e = client.rejects(ThresholdNotMetException.class, client::refresh);

        assertEquals(TIMESTAMP, e.role());
        assertEquals(1, e.threshold());
        assertEquals(Set.of(), e.validKeyIds());
        assertEquals(Set.of(TIMESTAMP_1.keyId()), e.missingKeyIds());
    }

    @Test
    void rejectsMetadataChangedInTransit() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.publishTimestamp();
        // A man in the middle (TLS or not) raises the version; the signature no longer matches.
        repo.editEnvelope(metadataFile(TIMESTAMP), at("signed", "version").set(7));

        ThresholdNotMetException e = client.rejects(ThresholdNotMetException.class, client::refresh);

        assertEquals(TIMESTAMP, e.role());
        assertEquals(Set.of(), e.validKeyIds());
        assertEquals(Set.of(TIMESTAMP_1.keyId()), e.missingKeyIds());
    }

    @Test
    void rejectsUnknownFieldAddedAfterSigning() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.publishTimestamp();
        // Unknown fields are part of what is signed: adding one breaks the signature.
        repo.editEnvelope(metadataFile(TIMESTAMP), at("signed", "x-injected").set("not signed"));

        ThresholdNotMetException e = client.rejects(ThresholdNotMetException.class, client::refresh);

        assertEquals(TIMESTAMP, e.role());
        assertEquals(Set.of(), e.validKeyIds());
    }

    @Test
    void countsSignatureWithAnUnsupportedSchemeAsInvalidRatherThanFailing() {
        SigningKey appsKey = TestKeys.ed25519("apps-1");
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*").keys(appsKey))
                .addTarget("apps", "apps/a.bin", new byte[] {1});
        repo.publishTargets("apps");
        // The delegation lists the key under its id, but with a scheme no client should accept.
        repo.publishTargets(TARGETS, at("delegations", "keys", appsKey.keyId(), "scheme").set("rsa-pkcs1v15-md5"));
        repo.publishSnapshot();
        repo.publishTimestamp();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        ThresholdNotMetException e = client.rejects(ThresholdNotMetException.class, () -> client.updater.findTarget("apps/a.bin"));

        assertEquals("apps", e.role());
        assertEquals(Set.of(), e.validKeyIds());
        assertEquals(Set.of(appsKey.keyId()), e.missingKeyIds());
    }

    @Test
    void rejectsDelegatedRoleSignedBelowThreshold() {
        SigningKey a1 = TestKeys.ed25519("apps-1");
        SigningKey a2 = TestKeys.ed25519("apps-2");
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*").keys(a1, a2).threshold(2))
                .signers("apps", a1)
                .addTarget("apps", "apps/a.bin", new byte[] {1}).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        ThresholdNotMetException e = client.rejects(ThresholdNotMetException.class, () -> client.updater.findTarget("apps/a.bin"));

        assertEquals("apps", e.role());
        assertEquals(2, e.threshold());
        assertEquals(Set.of(a1.keyId()), e.validKeyIds());
        assertEquals(Set.of(a2.keyId()), e.missingKeyIds());
    }

    @Test
    void rejectsSnapshotSignedByTheTimestampKey() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.signers(SNAPSHOT, TIMESTAMP_1); // an online key signing a role it is not trusted for
        repo.publish();

        ThresholdNotMetException e = client.rejectsAfterAccepting(ThresholdNotMetException.class, client::refresh, TIMESTAMP);

        assertEquals(SNAPSHOT, e.role());
        assertEquals(Set.of(), e.validKeyIds());
    }

    @Test
    void acceptsThresholdMetByDistinctKeysOfEverySupportedType() {
        SigningKey ecdsa = SigningKey.generate(KeyType.ECDSA_P256);
        SigningKey rsa = SigningKey.generate(KeyType.RSA_PSS);
        RepositorySimulator repo = RepositorySimulator.create(T0).addKey(TIMESTAMP, ecdsa).addKey(TIMESTAMP, rsa).threshold(TIMESTAMP, 3);
        repo.publishRoot();
        repo.publishTimestamp();
        TestClient client = TestClient.trusting(repo, work);

        client.refresh();

        assertEquals(Bytes.of(repo.served(metadataFile(TIMESTAMP))), client.trusted("timestamp.json"));
    }

    /** The array with its first element repeated at the end. */
    static JsonValue repeatFirst(JsonValue array) {
        List<JsonValue> l = new ArrayList<>(((JsonArray) array).elements());
        l.add(l.get(0));
        return JsonValue.arr(l);
    }
}
