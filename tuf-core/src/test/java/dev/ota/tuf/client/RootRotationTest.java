package dev.ota.tuf.client;

import dev.ota.tuf.BadVersionException;
import dev.ota.tuf.ThresholdNotMetException;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.RepositorySimulator;
import dev.ota.tuf.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.ota.tuf.testing.JsonEdit.at;
import static dev.ota.tuf.testing.RepositorySimulator.ROOT;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The root chain (TUF 5.3): versions one at a time until the repository has no next one, each signed by a
 * threshold of the previous root's keys and of its own, each persisted once accepted, at most a fixed number
 * per refresh.
 */
class RootRotationTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");
    static final SigningKey ROOT_1 = TestKeys.ed25519("root-1");
    static final SigningKey ROOT_2 = TestKeys.ed25519("root-2");

    @TempDir
    Path work;

    @Test
    void followsEveryPublishedRootInOrderAndStoresTheLast() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.publishRoot();
        repo.rotateKeys(ROOT, ROOT_2);
        repo.publishRoot();
        repo.publishRoot();
        TestClient client = TestClient.trusting(repo, work);

        client.refresh();

        assertEquals(List.of("metadata/2.root.json", "metadata/3.root.json", "metadata/4.root.json",
                "metadata/5.root.json", "metadata/timestamp.json"), repo.requestedPaths().subList(0, 5));
        assertEquals(Bytes.of(repo.published(ROOT, 4)), client.trusted("root.json"));
    }

    @Test
    void rejectsRootSkippingAVersion() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.publishRoot(at("version").set(3)); // served as 2.root.json
        TestClient client = TestClient.trusting(repo, work);

        BadVersionException e = client.rejects(BadVersionException.class, client::refresh);

        assertEquals(ROOT, e.role());
        assertEquals(2, e.expectedVersion());
        assertEquals(3, e.offeredVersion());
        assertEquals(1, client.updater.trusted().root().signed().version());
    }

    @Test
    void rejectsOlderRootServedAsTheNextVersion() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.publishRoot();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.publishRoot();
        repo.replay(ROOT, 1); // 3.root.json holds root version 1

        BadVersionException e = client.rejects(BadVersionException.class, client::refresh);

        assertEquals(ROOT, e.role());
        assertEquals(3, e.expectedVersion());
        assertEquals(1, e.offeredVersion());
    }

    @Test
    void rejectsRootNotSignedByPreviousKeys() {
        RepositorySimulator repo = RepositorySimulator.create(T0).rotateKeys(ROOT, ROOT_2);
        repo.publishRootSignedBy(ROOT_2); // the attacker's key only
        TestClient client = TestClient.trusting(repo, work);

        ThresholdNotMetException e = client.rejects(ThresholdNotMetException.class, client::refresh);

        assertEquals(ROOT, e.role());
        assertEquals(1, e.threshold());
        assertEquals(Set.of(), e.validKeyIds());
        assertEquals(Set.of(ROOT_1.keyId()), e.missingKeyIds());
    }

    @Test
    void rejectsRootNotSignedByItsOwnKeys() {
        RepositorySimulator repo = RepositorySimulator.create(T0).rotateKeys(ROOT, ROOT_2);
        repo.publishRootSignedBy(ROOT_1); // the new root's keys never agreed
        TestClient client = TestClient.trusting(repo, work);

        ThresholdNotMetException e = client.rejects(ThresholdNotMetException.class, client::refresh);

        assertEquals(ROOT, e.role());
        assertEquals(Set.of(), e.validKeyIds());
        assertEquals(Set.of(ROOT_2.keyId()), e.missingKeyIds());
    }

    @Test
    void rejectsRootSignedBelowThePreviousRootsThreshold() {
        SigningKey root3 = TestKeys.ed25519("root-3");
        RepositorySimulator repo = RepositorySimulator.create(T0).addKey(ROOT, ROOT_2).threshold(ROOT, 2);
        repo.publishRoot();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.rotateKeys(ROOT, root3).threshold(ROOT, 1);
        repo.publishRootSignedBy(ROOT_1, root3); // one of the two old keys was stolen

        ThresholdNotMetException e = client.rejects(ThresholdNotMetException.class, client::refresh);

        assertEquals(ROOT, e.role());
        assertEquals(2, e.threshold());
        assertEquals(Set.of(ROOT_1.keyId()), e.validKeyIds());
        assertEquals(Set.of(ROOT_2.keyId()), e.missingKeyIds());
    }

    @Test
    void stopsAtMaxRootRotations() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        for (int i = 0; i < 5; i++) repo.publishRoot();
        TestClient client = TestClient.trusting(repo, work).with(UpdaterConfig.defaults().withMaxRootRotations(3));

        client.refresh();

        assertEquals(List.of("metadata/2.root.json", "metadata/3.root.json", "metadata/4.root.json",
                "metadata/timestamp.json"), repo.requestedPaths().subList(0, 4));
        assertEquals(4, client.updater.trusted().root().signed().version());
        assertEquals(Bytes.of(repo.published(ROOT, 4)), client.trusted("root.json"));
    }

    @Test
    void keepsEachAcceptedRootWhenALaterOneIsRejected() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.publishRoot();
        repo.publishRoot();
        repo.publishRootSignedBy(ROOT_2);
        TestClient client = TestClient.trusting(repo, work);

        assertThrows(ThresholdNotMetException.class, client::refresh);

        assertEquals(Bytes.of(repo.published(ROOT, 3)), client.trusted("root.json"));
        assertEquals(Set.of("root.json"), client.trustedFiles().keySet());
    }

    @Test
    void endsTheRootChainWhenTheNextRootIsForbidden() {
        RepositorySimulator repo = RepositorySimulator.create(T0).respondWith(metadataFile(ROOT, 2), 403);
        TestClient client = TestClient.trusting(repo, work);

        client.refresh();

        assertEquals(1, client.updater.trusted().root().signed().version());
    }

    @Test
    void failsTheRefreshWhenTheRootChainAnswersAServerError() {
        RepositorySimulator repo = RepositorySimulator.create(T0).respondWith(metadataFile(ROOT, 2), 500);
        TestClient client = TestClient.trusting(repo, work);

        HttpStatusException e = client.rejects(HttpStatusException.class, client::refresh);

        assertEquals(500, e.statusCode());
        assertEquals(List.of("metadata/2.root.json"), repo.requestedPaths(), "no retries, no further steps");
    }

    @Test
    void trustsTheRotatedTimestampKeyFromTheNewRoot() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.rotateKeys(TIMESTAMP, TestKeys.ed25519("timestamp-2"));
        repo.publishRoot();
        repo.publishTimestamp();

        client.refresh();

        assertEquals(Bytes.of(repo.served(metadataFile(TIMESTAMP))), client.trusted("timestamp.json"));
        assertEquals(Bytes.of(repo.published(ROOT, 2)), client.trusted("root.json"));
    }
}
