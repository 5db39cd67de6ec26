package dev.ota.tuf.client;

import dev.ota.tuf.DownloadException;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.testing.RepositorySimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static dev.ota.tuf.testing.RepositorySimulator.TIMESTAMP;
import static dev.ota.tuf.testing.RepositorySimulator.metadataFile;
import static dev.ota.tuf.testing.RepositorySimulator.targetFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow retrieval attack (tuf-checklist.md): the server trickles bytes so the device waits forever. The real
 * {@link HttpFetcher} over real HTTP must give up at its time limit and report it as a {@link DownloadException}.
 */
@Timeout(30)
class SlowRetrievalAttackTest {
    static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");
    static final Duration LIMIT = Duration.ofSeconds(1);
    /** A timestamp (about 470 bytes) at this pace would take more than 20 seconds. */
    static final Duration PER_BYTE = Duration.ofMillis(50);

    @TempDir
    Path work;
    RepositorySimulator repo;

    @AfterEach
    void stopServer() {
        if (repo != null) repo.close();
    }

    @Test
    void abortsSlowRetrieval() {
        repo = RepositorySimulator.create(T0).trickle(metadataFile(TIMESTAMP), PER_BYTE);
        repo.startHttp();
        TestClient client = TestClient.trusting(repo, work).over(new HttpFetcher(Duration.ofSeconds(5), LIMIT));
        long start = System.nanoTime();

        DownloadException e = client.rejects(DownloadException.class, client::refresh);

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(repo.metadataUrl().resolve("timestamp.json").toString(), e.url());
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "gave up after " + took);
    }

    @Test
    void abortsSlowTargetDownloadWithoutStoringAnything() {
        byte[] image = "a firmware image that arrives one byte at a time".getBytes(StandardCharsets.UTF_8);
        repo = RepositorySimulator.create(T0).addTarget("fw/a.bin", image).publish();
        repo.trickle(targetFile("fw/a.bin", Bytes.of(image).sha256Hex()), PER_BYTE);
        repo.startHttp();
        TestClient client = TestClient.trusting(repo, work).over(new HttpFetcher(Duration.ofSeconds(5), LIMIT));
        client.refresh();

        DownloadException e = client.rejects(DownloadException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));

        assertTrue(e.url().endsWith(".a.bin"), e.url());
    }
}
