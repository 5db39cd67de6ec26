package dev.ota.tuf.client;

import dev.ota.tuf.RollbackAttackException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.RepositorySimulator;
import dev.ota.tuf.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static dev.ota.tuf.json.JsonValue.obj;
import static dev.ota.tuf.testing.JsonEdit.at;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Fast-forward attack (tuf-checklist.md): with a compromised online key, an attacker made the device trust huge
 * version numbers, so the honest repository's next versions look like rollbacks. After root rotates the
 * timestamp or snapshot keys, the device must drop what those keys vouched for and follow the repository again.
 */
class FastForwardAttackTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");

    @TempDir
    Path work;

    @Test
    void recoversFromFastForwardAfterTimestampKeyRotation() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.publishTimestamp(at("version").set(1000)); // signed with the stolen timestamp key
        client.refresh();
        repo.publishTimestamp();                         // the honest repository's next timestamp: version 3
        RollbackAttackException stuck = assertThrows(RollbackAttackException.class, client::refresh);
        assertEquals(1000, stuck.trustedVersion());

        repo.rotateKeys(TIMESTAMP, TestKeys.ed25519("timestamp-2"));
        repo.publishRoot();
        repo.publishTimestamp();
        client.refresh();

        assertEquals(4, client.updater.trusted().timestamp().orElseThrow().signed().version());
        assertEquals(Bytes.of(repo.served(metadataFile(TIMESTAMP))), client.trusted("timestamp.json"));
    }

    @Test
    void recoversFromFastForwardAfterSnapshotKeyRotation() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        // Stolen snapshot and timestamp keys: a snapshot that lists targets version 1000.
        repo.publishSnapshot(at("meta", "targets.json").set(obj("version", JsonValue.of(1000))));
        repo.publishTimestamp();
        assertThrows(HttpStatusException.class, client::refresh, "1000.targets.json does not exist");
        assertEquals(1000, client.updater.trusted().snapshot().orElseThrow().signed().metaFor(TARGETS).version());
        repo.publish();
        RollbackAttackException stuck = assertThrows(RollbackAttackException.class, client::refresh);
        assertEquals(TARGETS, stuck.role());
        assertEquals(1000, stuck.trustedVersion());

        repo.rotateKeys(SNAPSHOT, TestKeys.ed25519("snapshot-2"));
        repo.publishRoot();
        repo.publish();
        client.refresh();

        assertEquals(repo.latestVersion(SNAPSHOT), client.updater.trusted().snapshot().orElseThrow().signed().version());
        assertEquals(1, client.updater.trusted().targets(TARGETS).orElseThrow().signed().version());
        assertEquals(Bytes.of(repo.served(metadataFile(SNAPSHOT))), client.trusted("snapshot.json"));
    }
}
