package dev.ota.tuf.client;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.ota.tuf.json.JsonValue.obj;
import static dev.ota.tuf.testing.JsonEdit.at;
import static dev.ota.tuf.testing.RepositorySimulator.ROOT;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata format rules of tuf-checklist.md that a client enforces, each broken by validly signed metadata
 * (a compromised or buggy repository): the client must refuse with {@link MalformedMetadataException} naming the
 * offending field, and keep its trusted state.
 */
class MetadataFormatTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");

    @TempDir
    Path work;

    private TestClient trustingClient(RepositorySimulator repo) {
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        return client;
    }

    @Test
    void rejectsUnsupportedSpecificationMajorVersion() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingClient(repo);
        repo.publishTimestamp(at("spec_version").set("2.0.0"));

        MalformedMetadataException e = client.rejects(MalformedMetadataException.class, client::refresh);

        assertEquals("timestamp.json.signed.spec_version", e.where());
    }

    @Test
    void rejectsMetadataOfTheWrongType() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingClient(repo);
        repo.serve(metadataFile(TIMESTAMP), repo.published(SNAPSHOT, 1)); // validly signed, but by snapshot's key, as a snapshot

        MalformedMetadataException e = client.rejects(MalformedMetadataException.class, client::refresh);

        assertEquals("timestamp.json.signed._type", e.where());
    }

    @Test
    void rejectsVersionZero() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingClient(repo);
        repo.publishTimestamp(at("version").set(0));

        MalformedMetadataException e = client.rejects(MalformedMetadataException.class, client::refresh);

        assertEquals("timestamp.json.signed.version", e.where());
    }

    @Test
    void rejectsVersionBeyondSixtyFourBitsRatherThanWrappingIt() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingClient(repo);
        repo.publishTimestamp(at("version").set(new JsonValue.JsonNumber(BigInteger.TWO.pow(64).add(BigInteger.TWO))));

        MalformedMetadataException e = client.rejects(MalformedMetadataException.class, client::refresh);

        assertEquals("timestamp.json.signed.version", e.where());
    }

    @Test
    void rejectsExpiresWithoutATimeZone() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingClient(repo);
        repo.publishTimestamp(at("expires").set("2031-06-01T00:00:00"));

        MalformedMetadataException e = client.rejects(MalformedMetadataException.class, client::refresh);

        assertEquals("timestamp.json.signed.expires", e.where());
    }

    @Test
    void rejectsTimestampListingMoreThanTheSnapshot() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingClient(repo);
        repo.publishTimestamp(at("meta", "targets.json").set(obj("version", JsonValue.of(1))));

        MalformedMetadataException e = client.rejects(MalformedMetadataException.class, client::refresh);

        assertEquals("timestamp.json.signed.meta", e.where());
    }

    @Test
    void rejectsRootWithoutATopLevelRole() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        repo.publishRoot(at("roles", SNAPSHOT).remove());

        MalformedMetadataException e = client.rejects(MalformedMetadataException.class, client::refresh);

        assertEquals("2.root.json.signed.roles", e.where());
    }

    @Test
    void rejectsJsonWithADuplicateObjectKey() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingClient(repo);
        repo.publishTimestamp();
        // Two parsers could read different versions from this; which one was signed is ambiguous.
        repo.tamper(metadataFile(TIMESTAMP), b -> new String(b, StandardCharsets.UTF_8)
                .replace("\"version\":2}", "\"version\":2,\"version\":9}").getBytes(StandardCharsets.UTF_8));

        MalformedMetadataException e = client.rejects(MalformedMetadataException.class, client::refresh);

        assertEquals("timestamp.json", e.where());
    }

    @Test
    void rejectsDelegationWithBothPathsAndPathHashPrefixes() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegate(TARGETS, Delegation.forPaths("apps", "apps/*"));
        TestClient client = trustingClient(repo);
        repo.publishTargets(TARGETS, at("delegations", "roles", "0", "path_hash_prefixes").set(JsonValue.arr(List.of(JsonValue.of("ab")))));
        repo.publishTargets("apps");
        repo.publishSnapshot();
        repo.publishTimestamp();

        MalformedMetadataException e = client.rejectsAfterAccepting(MalformedMetadataException.class, client::refresh, TIMESTAMP, SNAPSHOT);

        assertEquals("targets.json.signed.delegations.roles[0]", e.where());
    }

    @Test
    void rejectsDelegationsWithADuplicateRoleName() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .delegate(TARGETS, Delegation.forPaths("tools", "tools/*"));
        TestClient client = trustingClient(repo);
        // Two roles called "apps" with different paths: which one the search would trust is ambiguous.
        repo.publishTargets(TARGETS, at("delegations", "roles", "1", "name").set("apps"));
        repo.publishSnapshot();
        repo.publishTimestamp();

        MalformedMetadataException e = client.rejectsAfterAccepting(MalformedMetadataException.class, client::refresh, TIMESTAMP, SNAPSHOT);

        assertEquals("targets.json.signed.delegations.roles", e.where());
    }

    @Test
    void rejectsDelegationToATopLevelRoleName() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegate(TARGETS, Delegation.forPaths("apps", "apps/*"));
        TestClient client = trustingClient(repo);
        repo.publishTargets(TARGETS, at("delegations", "roles", "0", "name").set(SNAPSHOT));
        repo.publishSnapshot();
        repo.publishTimestamp();

        MalformedMetadataException e = client.rejectsAfterAccepting(MalformedMetadataException.class, client::refresh, TIMESTAMP, SNAPSHOT);

        assertEquals("targets.json.signed.delegations.roles", e.where());
    }

    @Test
    void rejectsSuccinctHashBinsCombinedWithARoleList() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegateToHashBins(TARGETS, "bin", 1);
        TestClient client = trustingClient(repo);
        repo.publishTargets(TARGETS, at("delegations", "roles").set(JsonValue.arr(List.of())));
        repo.publishSnapshot();
        repo.publishTimestamp();

        MalformedMetadataException e = client.rejectsAfterAccepting(MalformedMetadataException.class, client::refresh, TIMESTAMP, SNAPSHOT);

        assertEquals("targets.json.signed.delegations", e.where());
    }

    @Test
    void rejectsSuccinctHashBinsWithBitLengthOutOfRange() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegateToHashBins(TARGETS, "bin", 1);
        TestClient client = trustingClient(repo);
        repo.publishTargets(TARGETS, at("delegations", "succinct_roles", "bit_length").set(33));
        repo.publishSnapshot();
        repo.publishTimestamp();

        MalformedMetadataException e = client.rejectsAfterAccepting(MalformedMetadataException.class, client::refresh, TIMESTAMP, SNAPSHOT);

        assertEquals("targets.json.signed.delegations.succinct_roles.bit_length", e.where());
    }

    @Test
    void acceptsAndKeepsUnknownFieldsThatAreSigned() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = trustingClient(repo);
        repo.publishTimestamp(at("x-vendor").set(obj("region", JsonValue.of("eu"))));

        client.refresh();

        assertEquals(Bytes.of(repo.served(metadataFile(TIMESTAMP))), client.trusted("timestamp.json"));
        assertTrue(client.updater.trusted().timestamp().orElseThrow().signed().unrecognized().containsKey("x-vendor"));
    }

    @Test
    void rejectsARootThatIsNotJson() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.publishRoot();
        repo.serve(metadataFile(ROOT, 2), "<html>maintenance</html>".getBytes(StandardCharsets.UTF_8));
        TestClient client = TestClient.trusting(repo, work);

        MalformedMetadataException e = client.rejects(MalformedMetadataException.class, client::refresh);

        assertEquals("2.root.json", e.where());
    }
}
