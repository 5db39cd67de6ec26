package dev.ota.tuf.client;

import static dev.ota.tuf.testing.RepositorySimulator.TARGETS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ota.tuf.DownloadException;
import dev.ota.tuf.LengthOrHashMismatchException;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.testing.RepositorySimulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupted target download goes on from where it stopped (fleet.md: HTTP range), over real HTTP with
 * {@link UrlConnectionFetcher}, and the kept bytes are never trusted: the whole file is verified.
 */
class ResumedDownloadTest {
    private static final Instant T0 = Instant.parse("2031-05-06T07:08:09Z");
    private static final byte[] IMAGE = image(100_000, 7);
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path work;

    private HttpServer server;
    /** The Range header of every request (empty string for none). */
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final AtomicLong bodyBytesSent = new AtomicLong();
    /** The connection of the next request drops after this many body bytes (then this is reset). */
    private final AtomicInteger cutAfter = new AtomicInteger(-1);
    private volatile boolean honourRanges = true;

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void aCutDownloadResumesWithARangeAndOnlyTheMissingBytesAreSent() throws IOException {
        URI url = serve(IMAGE);
        Path partial = work.resolve(".partial");
        UrlConnectionFetcher fetcher = new UrlConnectionFetcher(Duration.ofSeconds(5), LIMIT);
        cutAfter.set(30_000);

        assertThrows(DownloadException.class, () -> fetcher.fetchInto(url, IMAGE.length, partial));
        long kept = Files.size(partial);
        assertTrue(kept > 0 && kept <= 30_000, "kept " + kept);
        assertArrayEquals(Arrays.copyOf(IMAGE, (int) kept), Files.readAllBytes(partial));

        bodyBytesSent.set(0);
        fetcher.fetchInto(url, IMAGE.length, partial);

        assertEquals(List.of("", "bytes=" + kept + "-"), ranges);
        assertEquals(IMAGE.length - kept, bodyBytesSent.get());
        assertArrayEquals(IMAGE, Files.readAllBytes(partial));
    }

    @Test
    void aServerAnsweringTheRangeWithTheWholeFileStartsOver() throws IOException {
        URI url = serve(IMAGE);
        honourRanges = false;
        Path partial = work.resolve(".partial");
        Files.write(partial, Arrays.copyOf(IMAGE, 40_000));

        new UrlConnectionFetcher(Duration.ofSeconds(5), LIMIT).fetchInto(url, IMAGE.length, partial);

        assertEquals(List.of("bytes=40000-"), ranges);
        assertArrayEquals(IMAGE, Files.readAllBytes(partial));
    }

    @Test
    void neverMoreThanTheLimitIsWritten() throws IOException {
        URI url = serve(IMAGE);
        Path partial = work.resolve(".partial");

        assertThrows(DownloadException.class,
                () -> new UrlConnectionFetcher(Duration.ofSeconds(5), LIMIT).fetchInto(url, 1000, partial));

        // Refused on the announced length, before a byte is written.
        assertTrue(Files.notExists(partial) || Files.size(partial) == 0, "nothing past the limit is kept");
    }

    @Test
    void theUpdaterResumesAnInterruptedTargetAndVerifiesTheWholeFile() throws IOException {
        TestClient client = clientOver(serve(IMAGE));
        client.refresh();
        cutAfter.set(50_000);

        assertThrows(DownloadException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));
        Path partial = client.targetDir.resolve(".partial-" + sha256(IMAGE));
        long kept = Files.size(partial);
        assertTrue(kept > 0 && kept < IMAGE.length, "kept " + kept);

        Path local = client.downloadWithoutRefresh("fw/a.bin");

        assertEquals("bytes=" + kept + "-", ranges.get(ranges.size() - 1));
        assertArrayEquals(IMAGE, Files.readAllBytes(local));
        assertFalse(Files.exists(partial), "the kept bytes are gone once the target is whole");
    }

    @Test
    void aTamperedPrefixIsCaughtByTheHashesAndDeleted() throws IOException {
        TestClient client = clientOver(serve(IMAGE));
        client.refresh();
        Files.createDirectories(client.targetDir);
        Path partial = client.targetDir.resolve(".partial-" + sha256(IMAGE));
        byte[] tampered = Arrays.copyOf(IMAGE, 20_000);
        tampered[123] ^= 1;
        Files.write(partial, tampered);

        assertThrows(LengthOrHashMismatchException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));

        assertEquals(List.of("bytes=20000-"), ranges);
        assertFalse(Files.exists(partial), "altered bytes are not resumed from");
        try (var files = Files.list(client.targetDir)) {
            assertEquals(List.of(), files.toList(), "nothing is stored");
        }
        // The next attempt starts over and gets the signed image.
        assertArrayEquals(IMAGE, Files.readAllBytes(client.downloadWithoutRefresh("fw/a.bin")));
        assertEquals("", ranges.get(ranges.size() - 1));
    }

    @Test
    void withoutResumingAnInterruptedDownloadLeavesNothingInTheTargetFolder() throws Exception {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .listTarget(TARGETS, "fw/a.bin", new TargetFile(IMAGE.length, Map.of("sha256", sha256(IMAGE)),
                        Optional.empty(), Map.of()), IMAGE)
                .publish();
        URI cut = serve(IMAGE);
        cutAfter.set(30_000);
        UrlConnectionFetcher http = new UrlConnectionFetcher(Duration.ofSeconds(5), LIMIT);
        TestClient client = TestClient.trusting(repo, work).over(new Fetcher() {
            @Override
            public byte[] fetch(URI url, long maxLength) {
                return url.toString().startsWith(repo.targetsUrl().toString()) ? http.fetch(cut, maxLength)
                        : repo.fetch(url, maxLength);
            }
        });
        client.refresh();

        client.rejects(DownloadException.class, () -> client.downloadWithoutRefresh("fw/a.bin"));
    }

    /** Metadata from the simulator; the target's bytes over real HTTP from {@code targetUrl}. */
    private TestClient clientOver(URI targetUrl) {
        RepositorySimulator repo = RepositorySimulator.create(T0)
                .listTarget(TARGETS, "fw/a.bin", new TargetFile(IMAGE.length, Map.of("sha256", sha256(IMAGE)),
                        Optional.empty(), Map.of()), IMAGE)
                .publish();
        UrlConnectionFetcher http = new UrlConnectionFetcher(Duration.ofSeconds(5), LIMIT);
        Fetcher mixed = new Fetcher() {
            @Override
            public byte[] fetch(URI url, long maxLength) {
                return repo.fetch(url, maxLength);
            }

            @Override
            public void fetchInto(URI url, long maxLength, Path partial) {
                http.fetchInto(targetUrl, maxLength, partial);
            }
        };
        return TestClient.trusting(repo, work).over(mixed).with(UpdaterConfig.defaults().withResumeDownloads(true));
    }

    /** Serves {@code content} for any path: a single {@code bytes=N-} range when honoured, cut as asked. */
    private URI serve(byte[] content) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                String range = exchange.getRequestHeaders().getFirst("Range");
                ranges.add(range == null ? "" : range);
                int from = 0;
                if (range != null && honourRanges) {
                    from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
                    exchange.getResponseHeaders().set("Content-Range",
                            "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
                    exchange.sendResponseHeaders(206, content.length - from);
                } else {
                    exchange.sendResponseHeaders(200, content.length);
                }
                int cut = cutAfter.getAndSet(-1);
                int to = cut < 0 ? content.length : from + cut;
                OutputStream out = exchange.getResponseBody();
                // Counted before they go: once the last byte is out the client may return (and the test read
                // this) before this thread runs again.
                bodyBytesSent.addAndGet(to - from);
                out.write(content, from, to - from);
                out.flush();
                if (to < content.length) throw new IOException("link down");
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/targets/fw/a.bin");
    }

    private static byte[] image(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    private static String sha256(byte[] content) {
        return HexFormat.of().formatHex(Bytes.of(content).digestByTufName("sha256"));
    }
}
