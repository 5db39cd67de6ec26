package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;
import dev.ota.tuf.LengthOrHashMismatchException;
import dev.ota.tuf.MixAndMatchException;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mix-and-match attack (tuf-checklist.md): metadata of one repository state served with that of another, each
 * validly signed. The version (and the length and hashes, when listed) that timestamp gives for snapshot and
 * snapshot gives for each targets role must match what is served; hashes are checked before anything is parsed.
 */
class MixAndMatchAttackTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");

    @TempDir
    Path work;

    @Test
    void rejectsSnapshotVersionNotMatchingTimestamp() {
        RepositorySimulator repo = RepositorySimulator.create(T0).metaHashesAndLengths(false);
        repo.addTarget("a.bin", new byte[] {1}).publish();
        repo.replay(SNAPSHOT, 1); // 2.snapshot.json now holds snapshot version 1
        TestClient client = TestClient.trusting(repo, work);

        MixAndMatchException e = client.rejectsAfterAccepting(MixAndMatchException.class, client::refresh, TIMESTAMP);

        assertEquals(SNAPSHOT, e.role());
        assertEquals(2, e.listedVersion());
        assertEquals(1, e.offeredVersion());
    }

    @Test
    void rejectsSnapshotNotMatchingTheHashTimestampLists() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.publish();
        String listed = Bytes.of(repo.served(metadataFile(SNAPSHOT, 2))).sha256Hex();
        repo.tamper(metadataFile(SNAPSHOT, 2), MixAndMatchAttackTest::flipAByte);
        TestClient client = TestClient.trusting(repo, work);

        LengthOrHashMismatchException e = client.rejectsAfterAccepting(LengthOrHashMismatchException.class, client::refresh, TIMESTAMP);

        assertEquals("snapshot.json", e.subject());
        assertEquals("sha256", e.what());
        assertEquals(listed, e.expected());
        assertEquals(Bytes.of(repo.served(metadataFile(SNAPSHOT, 2))).sha256Hex(), e.actual());
    }

    @Test
    void rejectsSnapshotLongerThanTimestampLists() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.publish();
        int listed = repo.served(metadataFile(SNAPSHOT, 2)).length;
        repo.tamper(metadataFile(SNAPSHOT, 2), b -> Arrays.copyOf(b, b.length + 1));
        TestClient client = TestClient.trusting(repo, work);

        // The download itself is capped at the listed length, so the longer file never arrives whole.
        DownloadException e = client.rejectsAfterAccepting(DownloadException.class, client::refresh, TIMESTAMP);

        assertEquals(repo.metadataUrl().resolve("2.snapshot.json").toString(), e.url());
        assertEquals(listed, repo.requests().get(2).maxLength());
    }

    @Test
    void rejectsSnapshotShorterThanTimestampLists() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.publish();
        int listed = repo.served(metadataFile(SNAPSHOT, 2)).length;
        repo.tamper(metadataFile(SNAPSHOT, 2), b -> Arrays.copyOf(b, b.length - 1));
        TestClient client = TestClient.trusting(repo, work);

        LengthOrHashMismatchException e = client.rejectsAfterAccepting(LengthOrHashMismatchException.class, client::refresh, TIMESTAMP);

        assertEquals("snapshot.json", e.subject());
        assertEquals("length", e.what());
        assertEquals(Integer.toString(listed), e.expected());
        assertEquals(Integer.toString(listed - 1), e.actual());
    }

    @Test
    void rejectsTargetsVersionNotMatchingSnapshot() {
        RepositorySimulator repo = RepositorySimulator.create(T0).metaHashesAndLengths(false);
        repo.addTarget("a.bin", new byte[] {1}).publish();
        repo.replay(TARGETS, 1);
        TestClient client = TestClient.trusting(repo, work);

        MixAndMatchException e = client.rejectsAfterAccepting(MixAndMatchException.class, client::refresh, TIMESTAMP, SNAPSHOT);

        assertEquals(TARGETS, e.role());
        assertEquals(2, e.listedVersion());
        assertEquals(1, e.offeredVersion());
        assertEquals(2, client.updater.trusted().snapshot().orElseThrow().signed().version());
    }

    @Test
    void rejectsTargetsNotMatchingTheHashSnapshotLists() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.addTarget("a.bin", new byte[] {1}).publish();
        String listed = Bytes.of(repo.served(metadataFile(TARGETS, 2))).sha256Hex();
        repo.tamper(metadataFile(TARGETS, 2), MixAndMatchAttackTest::flipAByte);
        TestClient client = TestClient.trusting(repo, work);

        LengthOrHashMismatchException e = client.rejectsAfterAccepting(LengthOrHashMismatchException.class, client::refresh, TIMESTAMP, SNAPSHOT);

        assertEquals("targets.json", e.subject());
        assertEquals("sha256", e.what());
        assertEquals(listed, e.expected());
        assertEquals(Bytes.of(repo.served(metadataFile(TARGETS, 2))).sha256Hex(), e.actual());
    }

    @Test
    void rejectsOlderTargetsServedInPlaceOfTheVersionSnapshotLists() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.addTarget("a.bin", new byte[] {1}).publish();
        int listed = repo.served(metadataFile(TARGETS, 2)).length;
        repo.replay(TARGETS, 1);
        TestClient client = TestClient.trusting(repo, work);

        LengthOrHashMismatchException e = client.rejectsAfterAccepting(LengthOrHashMismatchException.class, client::refresh, TIMESTAMP, SNAPSHOT);

        assertEquals("targets.json", e.subject());
        assertEquals("length", e.what());
        assertEquals(Integer.toString(listed), e.expected());
        assertEquals(Integer.toString(repo.published(TARGETS, 1).length), e.actual());
    }

    @Test
    void rejectsDelegatedRoleVersionNotMatchingSnapshot() {
        RepositorySimulator repo = RepositorySimulator.create(T0).metaHashesAndLengths(false)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*")).publish();
        repo.addTarget("apps", "apps/a.bin", new byte[] {1}).publish();
        repo.replay("apps", 1);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();

        MixAndMatchException e = client.rejects(MixAndMatchException.class, () -> client.updater.findTarget("apps/a.bin"));

        assertEquals("apps", e.role());
        assertEquals(2, e.listedVersion());
        assertEquals(1, e.offeredVersion());
    }

    static byte[] flipAByte(byte[] b) {
        b[b.length / 2] ^= 1;
        return b;
    }
}
