package dev.ota.tuf.client;

import dev.ota.tuf.LengthOrHashMismatchException;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.ota.tuf.testing.RepositorySimulator.ROOT;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static dev.ota.tuf.testing.RepositorySimulator.targetFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The client workflow when the repository is honest: what is fetched, in which order, and what is stored. */
class UpdaterWorkflowTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");
    static final byte[] FIRMWARE = "firmware image v1".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path work;

    @Test
    void refreshesAndDownloadsATarget() throws Exception {
        RepositorySimulator repo = RepositorySimulator.create(T0).addTarget("firmware/app.bin", FIRMWARE).publish();
        TestClient client = TestClient.trusting(repo, work);

        Path file = client.download("firmware/app.bin");

        assertArrayEquals(FIRMWARE, Files.readAllBytes(file));
        assertEquals(client.targetDir.resolve("firmware%2Fapp.bin"), file, "stored under the URL-encoded target path");
        assertEquals(Map.of(
                "root.json", Bytes.of(repo.published(ROOT, 1)),
                "timestamp.json", Bytes.of(repo.published(TIMESTAMP, 2)),
                "snapshot.json", Bytes.of(repo.published(SNAPSHOT, 2)),
                "targets.json", Bytes.of(repo.published(TARGETS, 2))), client.trustedFiles());
    }

    @Test
    void requestsWhatPythonTufNgclientRequestsForARefreshAndDownload() {
        RepositorySimulator repo = RepositorySimulator.create(T0).addTarget("firmware/app.bin", FIRMWARE).publish();
        TestClient client = TestClient.trusting(repo, work);

        client.download("firmware/app.bin");

        String hash = Bytes.of(FIRMWARE).sha256Hex();
        assertEquals(List.of("metadata/2.root.json", "metadata/timestamp.json", "metadata/2.snapshot.json",
                "metadata/2.targets.json", "targets/firmware/" + hash + ".app.bin"), repo.requestedPaths());
    }

    @Test
    void keepsTrustedTimestampAndFetchesNothingElseWhenTimestampIsUnchanged() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        Map<String, Bytes> before = client.trustedFiles();
        repo.clearRequests();

        client.refresh();

        assertEquals(List.of("metadata/2.root.json", "metadata/timestamp.json"), repo.requestedPaths());
        assertEquals(before, client.trustedFiles());
        assertEquals(1, client.updater.trusted().timestamp().orElseThrow().signed().version());
    }

    @Test
    void doesNotFetchSnapshotOrTargetsAgainWhileTheTrustedOnesAreCurrent() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.publishTimestamp();
        repo.clearRequests();

        client.refresh();

        assertEquals(List.of("metadata/2.root.json", "metadata/timestamp.json"), repo.requestedPaths());
        assertEquals(Bytes.of(repo.published(TIMESTAMP, 2)), client.trusted("timestamp.json"));
    }

    @Test
    void fetchesOnlyTheTargetsRolesWhoseVersionChanged() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .addTarget("apps", "apps/a.bin", FIRMWARE).publish();
        TestClient client = TestClient.trusting(repo, work);
        client.find("apps/a.bin");
        repo.addTarget("apps", "apps/b.bin", FIRMWARE).publish();
        repo.clearRequests();

        client.find("apps/b.bin");

        assertEquals(List.of("metadata/2.root.json", "metadata/timestamp.json", "metadata/3.snapshot.json",
                "metadata/2.apps.json"), repo.requestedPaths());
        assertEquals(Bytes.of(repo.published("apps", 2)), client.trusted("apps.json"));
    }

    @Test
    void updatesAgainOnceTheRepositoryIsRepaired() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        TestClient client = TestClient.trusting(repo, work);
        client.refresh();
        repo.addTarget("firmware/app.bin", FIRMWARE).publish();
        repo.tamper(metadataFile(SNAPSHOT, 2), UpdaterWorkflowTest::flipAByte);
        client.rejectsAfterAccepting(LengthOrHashMismatchException.class, client::refresh, TIMESTAMP);

        repo.publish();
        client.download("firmware/app.bin");

        assertEquals(Bytes.of(repo.published(SNAPSHOT, 3)), client.trusted("snapshot.json"));
    }

    @Test
    void usesUnversionedNamesWithoutConsistentSnapshots() {
        RepositorySimulator repo = RepositorySimulator.create(T0).consistentSnapshot(false);
        repo.publishRoot();
        repo.addTarget("firmware/app.bin", FIRMWARE).publish();
        TestClient client = TestClient.trusting(repo, work);

        client.download("firmware/app.bin");

        assertEquals(List.of("metadata/2.root.json", "metadata/3.root.json", "metadata/timestamp.json",
                "metadata/snapshot.json", "metadata/targets.json", "targets/firmware/app.bin"), repo.requestedPaths());
    }

    @Test
    void checksEveryExpiryAgainstTheTimeTheRefreshStarted() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        for (String role : List.of(TIMESTAMP, SNAPSHOT, TARGETS)) repo.expireAt(role, T0.plusSeconds(60));
        repo.addTarget("firmware/app.bin", FIRMWARE).publish();
        TestClient client = TestClient.trusting(repo, work);
        // A clock that is a day later every time it is read: only the first reading may count.
        Clock advancing = new Clock() {
            private Instant next = T0;

            @Override
            public Instant instant() {
                Instant i = next;
                next = next.plus(Duration.ofDays(1));
                return i;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };

        client.refreshWith(advancing);

        assertEquals(T0, client.updater.trusted().referenceTime());
        assertEquals(FIRMWARE.length, client.updater.findTarget("firmware/app.bin").length());
    }

    @Test
    void acceptsAnExpiredIntermediateRoot() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.expireAt(ROOT, T0.minus(Duration.ofDays(1)));
        repo.publishRoot();
        repo.expireAt(ROOT, T0.plus(Duration.ofDays(100)));
        repo.publishRoot();
        TestClient client = TestClient.trusting(repo, work);

        client.refresh();

        assertEquals(3, client.updater.trusted().root().signed().version());
        assertEquals(Bytes.of(repo.published(ROOT, 3)), client.trusted("root.json"));
    }

    @Test
    void storesMetadataExactlyAsServedEvenWhenNotCanonical() {
        RepositorySimulator repo = RepositorySimulator.create(T0);
        repo.addTarget("firmware/app.bin", FIRMWARE);
        repo.publishTargets(TARGETS);
        repo.publishSnapshot();
        // The signature covers the canonical form of "signed"; the file itself may be laid out any way.
        repo.tamper(metadataFile(SNAPSHOT, 2), UpdaterWorkflowTest::spaceOut);
        repo.publishTimestamp();
        TestClient client = TestClient.trusting(repo, work);

        client.refresh();

        assertEquals(Bytes.of(repo.served(metadataFile(SNAPSHOT, 2))), client.trusted("snapshot.json"));
        assertFalse(client.trusted("snapshot.json").equals(Bytes.of(repo.published(SNAPSHOT, 2))));
    }

    @Test
    void storesDelegatedRolesUnderTheirUrlEncodedNamesInsideTheMetadataFolder() {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .delegate(TARGETS, Delegation.forPaths("../x", "x/*"))
                .delegate(TARGETS, Delegation.forPaths("a/b", "ab/*"))
                .addTarget("../x", "x/1.bin", FIRMWARE)
                .addTarget("a/b", "ab/2.bin", FIRMWARE).publish();
        TestClient client = TestClient.trusting(repo, work);

        client.download("x/1.bin");
        client.downloadWithoutRefresh("ab/2.bin");

        assertEquals(Set.of("root.json", "timestamp.json", "snapshot.json", "targets.json", "..%2Fx.json", "a%2Fb.json"),
                client.trustedFiles().keySet());
        assertEquals(Bytes.of(repo.published("../x", 1)), client.trusted("..%2Fx.json"));
        assertEquals(Bytes.of(repo.published("a/b", 1)), client.trusted("a%2Fb.json"));
        assertEquals(List.of("metadata/1...%2Fx.json", "metadata/1.a%2Fb.json"),
                repo.requestedPaths().stream().filter(p -> p.contains("%2F")).toList());
    }

    static byte[] flipAByte(byte[] b) {
        b[b.length / 2] ^= 1;
        return b;
    }

    /** The same JSON with a space after every comma and colon outside strings (valid, not canonical). */
    static byte[] spaceOut(byte[] canonical) {
        String s = new String(canonical, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) inString = !inString;
            if (!inString && (c == ',' || c == ':')) out.append(' ');
        }
        byte[] result = out.toString().getBytes(StandardCharsets.UTF_8);
        Json.parse(result, "spaced out"); // still one valid JSON document
        return result;
    }
}
