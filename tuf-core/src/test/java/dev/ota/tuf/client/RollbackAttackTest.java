package dev.ota.tuf.client;

import dev.ota.tuf.RollbackAttackException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static dev.ota.tuf.json.JsonValue.obj;
import static dev.ota.tuf.testing.JsonEdit.at;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rollback attack (tuf-checklist.md): a repository or mirror offers a version below the one the device trusts,
 * or a snapshot that no longer lists a targets role. Versions never decrease and no listed role disappears.
 */
class RollbackAttackTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");

    @TempDir
    Path work;

    @Test
    void rejectsTimestampRollback() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        repo.publishTimestamp();
        client.refresh();
        repo.replay(TIMESTAMP, 1);

        RollbackAttackException e = client.rejects(RollbackAttackException.class, client::refresh);

        assertEquals(TIMESTAMP, e.role());
        assertEquals(2, e.trustedVersion());
        assertEquals(1, e.offeredVersion());
        assertEquals(2, client.updater.trusted().timestamp().orElseThrow().signed().version());
    }

    @Test
    void rejectsTimestampThatRollsBackTheSnapshotVersion() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        repo.publish();
        client.refresh();
        // Signed with the timestamp key, newer, but naming the snapshot the device already left behind.
        repo.publishTimestamp(at("meta", "snapshot.json", "version").set(1));

        RollbackAttackException e = client.rejects(RollbackAttackException.class, client::refresh);

        assertEquals(SNAPSHOT, e.role());
        assertEquals(2, e.trustedVersion());
        assertEquals(1, e.offeredVersion());
    }

    @Test
    void rejectsSnapshotThatRollsBackTheTargetsVersion() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        repo.addTarget("a.bin", new byte[] {1}).publish();
        client.refresh();
        repo.publishSnapshot(at("meta", "targets.json").set(obj("version", JsonValue.of(1))));
        repo.publishTimestamp();

        RollbackAttackException e = client.rejectsAfterAccepting(RollbackAttackException.class, client::refresh, TIMESTAMP);

        assertEquals(TARGETS, e.role());
        assertEquals(2, e.trustedVersion());
        assertEquals(1, e.offeredVersion());
        assertEquals(2, client.updater.trusted().snapshot().orElseThrow().signed().version());
    }

    @Test
    void rejectsSnapshotThatRollsBackADelegatedRoleVersion() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegate(TARGETS, Delegation.forPaths("apps", "apps/*")).publish();
        repo.addTarget("apps", "apps/a.bin", new byte[] {1}).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.publishSnapshot(at("meta", "apps.json").set(obj("version", JsonValue.of(1))));
        repo.publishTimestamp();

        RollbackAttackException e = client.rejectsAfterAccepting(RollbackAttackException.class, client::refresh, TIMESTAMP);

        assertEquals("apps", e.role());
        assertEquals(2, e.trustedVersion());
        assertEquals(1, e.offeredVersion());
    }

    @Test
    void rejectsSnapshotThatDropsATargetsRole() {
        RepositorySimulator repo = RepositorySimulator.create(T0).delegate(TARGETS, Delegation.forPaths("apps", "apps/*")).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.publishSnapshot(at("meta", "apps.json").remove());
        repo.publishTimestamp();

        RollbackAttackException e = client.rejectsAfterAccepting(RollbackAttackException.class, client::refresh, TIMESTAMP);

        assertEquals("apps", e.role());
        assertEquals(1, e.trustedVersion());
        assertEquals(-1, e.offeredVersion(), "-1: no longer listed");
    }
}
