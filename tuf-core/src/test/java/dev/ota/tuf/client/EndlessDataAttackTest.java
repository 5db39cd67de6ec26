package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.Delegation;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.ota.tuf.testing.RepositorySimulator.ROOT;
import static dev.ota.tuf.testing.RepositorySimulator.SNAPSHOT;
import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static dev.ota.tuf.testing.RepositorySimulator.targetFile;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Endless data attack (tuf-checklist.md): a file that never ends. Every download has a cap: the spec's defaults
 * for root and timestamp (and for snapshot and targets when their parent lists no length), otherwise the length
 * the parent lists. The first tests check the caps the updater asks for; the others serve endless files over
 * real HTTP to each real fetcher ({@link HttpFetcher}, and {@link UrlConnectionFetcher}, which the device CLI
 * uses), which must stop at the cap.
 */
@Timeout(30)
class EndlessDataAttackTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");
    static final byte[] IMAGE = "firmware".getBytes(StandardCharsets.UTF_8);
    /** Small caps so that an endless file is cut off after little data. */
    static final UpdaterConfig SMALL_CAPS = new UpdaterConfig(32, 32, 20_000, 4_000, 30_000, 40_000, true, false);

    @TempDir
    Path work;
    RepositorySimulator repo;

    @AfterEach
    void stopServer() {
        if (repo != null) repo.close();
    }

    private TestClient overHttp(Fetcher fetcher) {
        repo.startHttp();
        return TestClient.trusting(repo, work).with(SMALL_CAPS).over(fetcher);
    }

    static Stream<Fetcher> fetchers() {
        return Stream.of(new HttpFetcher(Duration.ofSeconds(5), Duration.ofSeconds(20)),
                new UrlConnectionFetcher(Duration.ofSeconds(5), Duration.ofSeconds(20)));
    }

    @Test
    void capsEveryDownloadAtTheSpecDefaultsOrTheListedLength() {
        repo = RepositorySimulator.create(T0).delegate(TARGETS, Delegation.forPaths("apps", "apps/*"))
                .addTarget("apps", "apps/a.bin", IMAGE).publish();
        TestClient client = TestClient.trusting(repo, work).with(SMALL_CAPS);

        client.download("apps/a.bin");

        Map<String, Long> caps = repo.requests().stream()
                .collect(Collectors.toMap(RepositorySimulator.Request::path, RepositorySimulator.Request::maxLength));
        assertEquals(20_000L, caps.get(metadataFile(ROOT, 2)));
        assertEquals(4_000L, caps.get(metadataFile(TIMESTAMP)));
        assertEquals((long) repo.served(metadataFile(SNAPSHOT, 2)).length, caps.get(metadataFile(SNAPSHOT, 2)));
        assertEquals((long) repo.served(metadataFile(TARGETS, 2)).length, caps.get(metadataFile(TARGETS, 2)));
        assertEquals((long) repo.served(metadataFile("apps", 1)).length, caps.get(metadataFile("apps", 1)));
        assertEquals((long) IMAGE.length, caps.get(targetFile("apps/a.bin", Bytes.of(IMAGE).sha256Hex())));
    }

    @Test
    void capsSnapshotAndTargetsAtTheDefaultsWhenNoLengthIsListed() {
        repo = RepositorySimulator.create(T0).metaHashesAndLengths(false).publish();
        TestClient client = TestClient.trusting(repo, work).with(SMALL_CAPS);

        client.refresh();

        Map<String, Long> caps = repo.requests().stream()
                .collect(Collectors.toMap(RepositorySimulator.Request::path, RepositorySimulator.Request::maxLength));
        assertEquals(30_000L, caps.get(metadataFile(SNAPSHOT, 2)));
        assertEquals(40_000L, caps.get(metadataFile(TARGETS, 1)));
    }

    @ParameterizedTest
    @MethodSource("fetchers")
    void rejectsEndlessRoot(Fetcher fetcher) {
        repo = RepositorySimulator.create(T0).serveEndless(metadataFile(ROOT, 2));
        TestClient client = overHttp(fetcher);

        DownloadException e = client.rejects(DownloadException.class, client::refresh);

        assertEquals(repo.metadataUrl().resolve("2.root.json").toString(), e.url());
    }

    @ParameterizedTest
    @MethodSource("fetchers")
    void rejectsEndlessTimestamp(Fetcher fetcher) {
        repo = RepositorySimulator.create(T0).serveEndless(metadataFile(TIMESTAMP));
        TestClient client = overHttp(fetcher);

        DownloadException e = client.rejects(DownloadException.class, client::refresh);

        assertEquals(repo.metadataUrl().resolve("timestamp.json").toString(), e.url());
    }

    @ParameterizedTest
    @MethodSource("fetchers")
    void rejectsTimestampJustOverTheCap(Fetcher fetcher) {
        repo = RepositorySimulator.create(T0);
        repo.tamper(metadataFile(TIMESTAMP), b -> padTo(b, 4_001));
        TestClient client = overHttp(fetcher);

        DownloadException e = client.rejects(DownloadException.class, client::refresh);

        assertEquals(repo.metadataUrl().resolve("timestamp.json").toString(), e.url());
    }

    @ParameterizedTest
    @MethodSource("fetchers")
    void rejectsEndlessSnapshotWhenTimestampListsNoLength(Fetcher fetcher) {
        repo = RepositorySimulator.create(T0).metaHashesAndLengths(false).publish();
        repo.serveEndless(metadataFile(SNAPSHOT, 2));
        TestClient client = overHttp(fetcher);

        DownloadException e = client.rejectsAfterAccepting(DownloadException.class, client::refresh, TIMESTAMP);

        assertEquals(repo.metadataUrl().resolve("2.snapshot.json").toString(), e.url());
    }

    @ParameterizedTest
    @MethodSource("fetchers")
    void rejectsEndlessTargetsWhenSnapshotListsNoLength(Fetcher fetcher) {
        repo = RepositorySimulator.create(T0).metaHashesAndLengths(false).publish();
        repo.serveEndless(metadataFile(TARGETS, 1));
        TestClient client = overHttp(fetcher);

        DownloadException e = client.rejectsAfterAccepting(DownloadException.class, client::refresh, TIMESTAMP, SNAPSHOT);

        assertEquals(repo.metadataUrl().resolve("1.targets.json").toString(), e.url());
    }

    @ParameterizedTest
    @MethodSource("fetchers")
    void rejectsEndlessDelegatedRole(Fetcher fetcher) {
        repo = RepositorySimulator.create(T0).delegate(TARGETS, Delegation.forPaths("apps", "apps/*")).publish();
        repo.serveEndless(metadataFile("apps", 1));
        TestClient client = overHttp(fetcher);
        client.refresh();

        DownloadException e = client.rejects(DownloadException.class, () -> client.updater.findTarget("apps/a.bin"));

        assertEquals(repo.metadataUrl().resolve("1.apps.json").toString(), e.url());
    }

    @ParameterizedTest
    @MethodSource("fetchers")
    void rejectsEndlessTarget(Fetcher fetcher) {
        repo = RepositorySimulator.create(T0).addTarget("fw/a.bin", IMAGE).publish();
        String served = targetFile("fw/a.bin", Bytes.of(IMAGE).sha256Hex());
        repo.serveEndless(served);
        TestClient client = overHttp(fetcher);
        client.refresh();

        DownloadException e = client.rejects(DownloadException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));

        assertEquals(repo.targetsUrl().resolve(served.substring("targets/".length())).toString(), e.url());
    }

    /** The same JSON followed by spaces (still one valid document) up to {@code size} bytes. */
    static byte[] padTo(byte[] json, int size) {
        byte[] out = Arrays.copyOf(json, size);
        Arrays.fill(out, json.length, size, (byte) ' ');
        return out;
    }
}
