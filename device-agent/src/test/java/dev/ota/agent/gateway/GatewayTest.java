package dev.ota.agent.gateway;

import dev.ota.agent.device.RunConfig;
import dev.ota.agent.fleet.DeviceJournal;
import dev.ota.agent.fleet.HttpClientTransport;
import dev.ota.agent.runtime.DeviceRunner;
import dev.ota.agent.testing.DevicePeer;
import dev.ota.agent.testing.ImageRepository;
import dev.ota.agent.testing.VirtualTime;
import dev.ota.protocol.Report;
import dev.ota.tuf.DownloadException;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.client.UrlConnectionFetcher;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.TargetPaths;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    }

    private <T extends AutoCloseable> T opened(T c) {
        open.add(c);
        return c;
    }

    private Gateway gateway(URI upstream, byte[] imageRoot, long cacheBytes, Clock clock) throws Exception {
        return gateway(upstream, imageRoot, cacheBytes, clock, new PrintStream(log, true, StandardCharsets.UTF_8), "gateway.threads=8");
    }

    private Gateway gateway(URI upstream, byte[] imageRoot, long cacheBytes, Clock clock, PrintStream log, String... more)
            throws Exception {
        Path root = dir.resolve("gateway-image-root.json");
        Files.write(root, imageRoot);
        Path file = dir.resolve("gateway.properties");
        Files.writeString(file, String.join("\n", "gateway.upstream=" + upstream, "gateway.port=0", "gateway.dir=gw",
                "gateway.image.root=gateway-image-root.json", "gateway.cache.max-bytes=" + cacheBytes, "gateway.retry-after-seconds=60",
                "gateway.request.timeout-seconds=5", String.join("\n", more), ""));
        return opened(Gateway.start(GatewayConfig.load(file), clock, log));
    }

    /** A device's image repository client (tuf-core, as the agent uses it) reaching the image repository only through the gateway. */
    private Updater deviceClient(String name, Gateway g, byte[] root) throws Exception {
        return deviceClient(name, g.base(), root, false);
    }

    /** As above through {@code base} (the gateway, or a link to it); {@code resume}: as the device's image updater. */
    private Updater deviceClient(String name, URI base, byte[] root, boolean resume) throws Exception {
        Path metadata = Files.createDirectories(dir.resolve(name).resolve("metadata"));
        Files.write(metadata.resolve("root.json"), root);
        Updater u = new Updater(URI.create(base + "/metadata/"), metadata, new UrlConnectionFetcher(Duration.ofSeconds(5),
                Duration.ofSeconds(10)), Clock.systemUTC(), UpdaterConfig.defaults().withResumeDownloads(resume));
        u.refresh();
        return u;
    }

    private static final String IMAGE_PATH = "lock-fw/1.5.0.bin";

    private static byte[] image() {
        byte[] b = new byte[100_000];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static URI cloudOf(ImageRepository repo) {
        return URI.create(repo.metadataUrl().toString().replace("/metadata/", ""));
    }

    /** A device behind the gateway, through a link that cut its download of {@link #image()} after 30,000 bytes. */
    private record CutDownload(Relay lan, Updater device, TargetFile listed, Path images, long kept) {
        Path resume() {
            return device.downloadTarget(IMAGE_PATH, listed, URI.create(lan.base() + "/targets/"), images);
        }
    }

    private CutDownload cutDownload(Gateway g, ImageRepository repo) throws Exception {
        Relay lan = opened(new Relay(g.base()));
        Updater device = deviceClient("lock-1", lan.base(), repo.rootBytes(), true);
        TargetFile listed = device.findTarget(IMAGE_PATH);
        Path images = Files.createDirectories(dir.resolve("lock-1").resolve("images"));
        lan.cutNextTarget.set(30_000);
        CutDownload cut = new CutDownload(lan, device, listed, images, 0);
        assertThrows(DownloadException.class, cut::resume);
        long kept = Files.size(images.resolve(".partial-" + sha256(image())));
        assertTrue(kept > 0 && kept <= 30_000, "kept " + kept);
        return new CutDownload(lan, device, listed, images, kept);
    }

    @Test
    void aDeviceBehindTheGatewayResumesACutImageDownloadAndTheGatewaySendsOnlyTheRest() throws Exception {
        ImageRepository repo = opened(new ImageRepository());
        byte[] image = image();
        repo.publish(IMAGE_PATH, image, "1.5.0", 42, "lock-v2");
        Relay cloud = opened(new Relay(cloudOf(repo)));
        Gateway g = gateway(cloud.base(), repo.rootBytes(), 1 << 20, Clock.systemUTC());
        CutDownload cut = cutDownload(g, repo);
        long kept = cut.kept();

        Path got = cut.resume();

        assertArrayEquals(image, Files.readAllBytes(got));
        assertEquals(List.of(" -> 200 30000", "bytes=" + kept + "- -> 206 " + (image.length - kept)), cut.lan().targetExchanges,
                "the rest only, from the gateway's copy\n" + log());
        assertEquals(1, cloud.count("/targets/"), "fetched from the cloud once");
    }

    @Test
    void theGatewayServesOneByteRangeOfAnImageOrAMetadataFileAsTheServerDoes() throws Exception {
        ImageRepository repo = opened(new ImageRepository());
        byte[] image = image();
        repo.publish(IMAGE_PATH, image, "1.5.0", 42, "lock-v2");
        Gateway g = gateway(cloudOf(repo), repo.rootBytes(), 1 << 20, Clock.systemUTC());
        String name = "/targets/" + TargetPaths.consistentPath(IMAGE_PATH, sha256(image));
        String etag = "\"" + sha256(image) + "\"";

        var whole = request(g, name, Map.of());
        assertEquals(200, whole.statusCode(), log());
        assertArrayEquals(image, whole.body());
        assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElseThrow());
        assertEquals(etag, whole.headers().firstValue("ETag").orElseThrow(), "the strong tag the server gives: the SHA-256");

        var rest = request(g, name, Map.of("Range", "bytes=40000-"));
        assertEquals(206, rest.statusCode());
        assertEquals("bytes 40000-99999/100000", rest.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(image, 40000, image.length), rest.body());
        var middle = request(g, name, Map.of("Range", "bytes=10-19"));
        assertEquals(206, middle.statusCode());
        assertArrayEquals(Arrays.copyOfRange(image, 10, 20), middle.body());
        assertEquals("10", middle.headers().firstValue("Content-Length").orElseThrow());

        var past = request(g, name, Map.of("Range", "bytes=100000-"));
        assertEquals(416, past.statusCode());
        assertEquals("bytes */100000", past.headers().firstValue("Content-Range").orElseThrow());
        assertTrue(new String(past.body(), StandardCharsets.UTF_8).contains("\"code\":\"http.416\""), new String(past.body(), StandardCharsets.UTF_8));

        assertArrayEquals(Arrays.copyOfRange(image, 40000, image.length),
                request(g, name, Map.of("Range", "bytes=40000-", "If-Range", etag)).body(), "If-Range naming the image's tag");
        var otherBytes = request(g, name, Map.of("Range", "bytes=40000-", "If-Range", "\"" + "0".repeat(64) + "\""));
        assertEquals(200, otherBytes.statusCode(), "a device holding other bytes gets the whole image");
        assertArrayEquals(image, otherBytes.body());
        assertEquals(200, request(g, name, Map.of("Range", "bytes=0-1,5-6")).statusCode(), "several ranges: the whole file");

        var timestamp = request(g, "/metadata/timestamp.json", Map.of());
        assertEquals("\"" + sha256(timestamp.body()) + "\"", timestamp.headers().firstValue("ETag").orElseThrow());
        var firstTen = request(g, "/metadata/timestamp.json", Map.of("Range", "bytes=0-9"));
        assertEquals(206, firstTen.statusCode());
        assertArrayEquals(Arrays.copyOf(timestamp.body(), 10), firstTen.body());
        assertEquals("bytes 0-9/" + timestamp.body().length, firstTen.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(1, repo.targetRanges.size(), "every range came from the gateway's verified copy: " + repo.targetRanges);
    }

    /**
     * The gateway's log, which holds the thread writing the {@code nth} line that contains {@code marker} until
     * {@link #release}: a point inside the gateway a test can stop one request at.
     */
    private final class HoldingLog extends PrintStream {
        private final String marker;
        private final int nth;
        private int seen;
        final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

        HoldingLog(String marker, int nth) {
            super(log, true, StandardCharsets.UTF_8);
            this.marker = marker;
            this.nth = nth;
        }

        @Override
        public void println(String line) {
            super.println(line);
            boolean hold;
            synchronized (this) {
                hold = line.contains(marker) && ++seen == nth;
            }
            if (!hold) return;
            held.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void release() {
            released.countDown();
        }
    }

    /** Bytes of the first request's answer up to the blank line that ends its head. */
    private static String head(java.io.InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new java.io.EOFException("the answer ended in its head: " + b);
            b.append((char) c);
        }
        return b.toString();
    }

    /**
     * An image too big for the cache is staged, and its copy deleted only when no answer holds it. Two devices
     * fetching it while the first answer is still being sent: the second answer's copy must not go when the first
     * answer ends. The image is larger than the loopback socket buffers, so the first answer waits for its slow
     * reader; the second is held at its log line about the image, after it took its copy and before it sends it;
     * the gateway runs two threads, so a third request is answered only once the first answer's thread is done.
     */
    @Test
    void twoDevicesGetAnImageTooBigForTheCacheWholeWhenTheirAnswersInterleave() throws Exception {
        ImageRepository repo = opened(new ImageRepository());
        byte[] image = new byte[16 << 20];
        new SplittableRandom(11).nextBytes(image);
        repo.publish(IMAGE_PATH, image, "1.5.0", 42, "lock-v2");
        HoldingLog gatewayLog = new HoldingLog("ota-gateway: " + IMAGE_PATH + " ", 2);
        Gateway g = gateway(cloudOf(repo), repo.rootBytes(), 1 << 20, Clock.systemUTC(), gatewayLog, "gateway.threads=2",
                "gateway.staged.keep-seconds=0");
        opened(gatewayLog::release);
        String name = "/targets/" + TargetPaths.consistentPath(IMAGE_PATH, sha256(image));

        try (java.net.Socket first = new java.net.Socket()) {
            first.setReceiveBufferSize(4096);
            first.connect(new java.net.InetSocketAddress("127.0.0.1", g.port()));
            first.getOutputStream().write(("GET " + name + " HTTP/1.1\r\nHost: gateway\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            java.io.InputStream in = first.getInputStream();
            String head = head(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head + log());

            var second = java.net.http.HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(
                    URI.create(g.base() + name)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertTrue(gatewayLog.held.await(60, java.util.concurrent.TimeUnit.SECONDS), "the second answer's copy is staged\n" + log());
            assertArrayEquals(image, in.readNBytes(image.length), "the first device, reading slowly, gets the whole image");
            assertEquals(200, get(g, "/metadata/timestamp.json", null).statusCode(), "the first answer's thread is done");
            gatewayLog.release();

            var got = second.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, got.statusCode(), log());
            assertArrayEquals(image, got.body(), "the second device gets the whole image too");
        }
        assertEquals(1, repo.targetRanges.size(), "the second answer sent the first's copy: " + repo.targetRanges);
        try (var left = Files.list(dir.resolve("gw/downloads"))) {
            assertEquals(List.of(), left.toList(), "deleted after its last answer (kept 0 s)");
        }
    }

    @Test
    void aDeviceResumingAnImageTooBigForTheCacheIsSentTheRestFromTheStagedCopyUntilNobodyAskedForItAWhile() throws Exception {
        ImageRepository repo = opened(new ImageRepository());
        byte[] image = image();
        repo.publish(IMAGE_PATH, image, "1.5.0", 42, "lock-v2");
        Relay cloud = opened(new Relay(cloudOf(repo)));
        VirtualTime time = new VirtualTime(Instant.now());
        Gateway g = gateway(cloud.base(), repo.rootBytes(), 50_000, time, new PrintStream(log, true, StandardCharsets.UTF_8),
                "gateway.staged.keep-seconds=600");
        CutDownload cut = cutDownload(g, repo);
        long kept = cut.kept();

        time.advance(Duration.ofMinutes(9));
        Path got = cut.resume();

        assertArrayEquals(image, Files.readAllBytes(got));
        assertEquals(List.of(" -> 200 30000", "bytes=" + kept + "- -> 206 " + (image.length - kept)), cut.lan().targetExchanges, log());
        assertEquals(1, cloud.count("/targets/"), "the rest came from the gateway's staged copy\n" + log());
        assertEquals(List.of(), g.cache().hashes(), "too big for the cache");

        time.advance(Duration.ofMinutes(10));
        Files.delete(got);
        assertArrayEquals(image, Files.readAllBytes(cut.resume()));

        assertEquals(2, cloud.count("/targets/"), "a copy no answer held for 10 minutes is deleted: fetched again\n" + log());
        try (var left = Files.list(dir.resolve("gw/downloads"))) {
            assertEquals(1, left.count(), "the expired copy is gone, the new one kept");
        }
    }

    @Test
    void whatACrashLeftInTheStagingFolderIsDeletedWhenTheGatewayStarts() throws Exception {
        ImageRepository repo = opened(new ImageRepository());
        Path downloads = Files.createDirectories(dir.resolve("gw/downloads"));
        Files.write(downloads.resolve("0".repeat(64) + "-123.verified"), new byte[1000]);
        Files.write(downloads.resolve("0".repeat(64) + ".verified"), new byte[1000]);

        gateway(cloudOf(repo), repo.rootBytes(), 1 << 20, Clock.systemUTC());

        try (var left = Files.list(downloads)) {
            assertEquals(List.of(), left.toList());
        }
    }

    /** What the gateway keeps of {@code deviceId}'s director targets when they order the image {@code sha256}. */
    private void directorOrders(String deviceId, String sha256) throws Exception {
        Path d = Files.createDirectories(dir.resolve("gw/director").resolve(deviceId));
        Files.writeString(d.resolve("1.targets.json"), "{\"signed\":{\"_type\":\"targets\",\"version\":1,\"targets\":{\""
                + IMAGE_PATH + "\":{\"length\":100000,\"hashes\":{\"sha256\":\"" + sha256 + "\"}}}},\"signatures\":[]}");
    }

    @Test
    void aCutFetchFromTheCloudIsResumedWhereItStoppedAlsoAfterTheGatewayRestarts() throws Exception {
        ImageRepository repo = opened(new ImageRepository());
        byte[] image = image();
        repo.publish(IMAGE_PATH, image, "1.5.0", 42, "lock-v2");
        Relay cloud = opened(new Relay(cloudOf(repo)));
        Gateway first = gateway(cloud.base(), repo.rootBytes(), 1 << 20, Clock.systemUTC());
        directorOrders("lock-1", sha256(image));
        Updater device = deviceClient("lock-1", first, repo.rootBytes());
        TargetFile listed = device.findTarget(IMAGE_PATH);
        Path images = Files.createDirectories(dir.resolve("lock-1").resolve("images"));
        cloud.cutNextTarget.set(30_000);
        DownloadException away = assertThrows(DownloadException.class,
                () -> device.downloadTarget(IMAGE_PATH, listed, URI.create(first.base() + "/targets/"), images));
        assertTrue(away.getMessage().contains("503"), away.getMessage());
        Path partial = dir.resolve("gw/partial").resolve(".partial-" + sha256(image));
        long kept = Files.size(partial);
        assertTrue(kept > 0 && kept <= 30_000, "kept " + kept + "\n" + log());
        open.remove(first);
        first.close();

        Gateway again = gateway(cloud.base(), repo.rootBytes(), 1 << 20, Clock.systemUTC());
        Path got = device.downloadTarget(IMAGE_PATH, listed, URI.create(again.base() + "/targets/"), images);

        assertArrayEquals(image, Files.readAllBytes(got));
        assertEquals(List.of(" -> 200 30000", "bytes=" + kept + "- -> 206 " + (image.length - kept)), cloud.targetExchanges,
                "only the missing bytes were fetched again\n" + log());
        assertFalse(Files.exists(partial), "verified and cached, nothing kept aside");
        assertEquals(List.of(sha256(image)), again.cache().hashes());
    }

    @Test
    void atStartUpTheGatewayDropsTheKeptBytesOfImagesNoDeviceIsOrderedToRun() throws Exception {
        ImageRepository repo = opened(new ImageRepository());
        String ordered = sha256("ordered".getBytes(StandardCharsets.UTF_8));
        String abandoned = sha256("abandoned".getBytes(StandardCharsets.UTF_8));
        directorOrders("lock-1", ordered);
        Path partials = Files.createDirectories(dir.resolve("gw/partial"));
        Files.write(partials.resolve(".partial-" + ordered), new byte[1000]);
        Files.write(partials.resolve(".partial-" + abandoned), new byte[1000]);

        gateway(cloudOf(repo), repo.rootBytes(), 1 << 20, Clock.systemUTC());

        try (var s = Files.list(partials)) {
            assertEquals(List.of(".partial-" + ordered), s.map(p -> p.getFileName().toString()).toList(), log());
        }
        assertTrue(log().contains(".partial-" + abandoned + " dropped"), log());
    }

    @Test
    void eachImageIsFetchedFromTheCloudOnceWhateverTheNumberOfDevices() throws Exception {
        ImageRepository repo = opened(new ImageRepository());
        byte[] image = "lock firmware 1.5.0 HEALTHY".getBytes(StandardCharsets.UTF_8);
        repo.publish("lock-fw/1.5.0.bin", image, "1.5.0", 42, "lock-v2");
        Relay cloud = opened(new Relay(URI.create(repo.metadataUrl().toString().replace("/metadata/", ""))));
        Gateway g = gateway(cloud.base(), repo.rootBytes(), 1 << 20, Clock.systemUTC());

        for (String device : List.of("lock-1", "lock-2", "lock-3")) {
            Updater u = deviceClient(device, g, repo.rootBytes());
            Path got = u.downloadTarget("lock-fw/1.5.0.bin", u.findTarget("lock-fw/1.5.0.bin"), URI.create(g.base() + "/targets/"),
                    Files.createDirectories(dir.resolve(device).resolve("images")));
            assertArrayEquals(image, Files.readAllBytes(got), device);
        }

        assertEquals(1, cloud.count("/targets/"), "one fetch from the cloud for three devices\n" + log());
        assertEquals(1, g.cache().hashes().size());
    }

    @Test
    void imageBytesThatFailTheGatewaysVerificationAreNeitherCachedNorServed() throws Exception {
        ImageRepository repo = opened(new ImageRepository());
        repo.publish("lock-fw/1.5.0.bin", "lock firmware 1.5.0".getBytes(StandardCharsets.UTF_8), "1.5.0", 42, "lock-v2");
        repo.corruptTarget("lock-fw/1.5.0.bin");
        Gateway g = gateway(URI.create(repo.metadataUrl().toString().replace("/metadata/", "")), repo.rootBytes(), 1 << 20,
                Clock.systemUTC());
        Updater u = deviceClient("lock-1", g, repo.rootBytes());

        DownloadException refused = assertThrows(DownloadException.class, () -> u.downloadTarget("lock-fw/1.5.0.bin",
                u.findTarget("lock-fw/1.5.0.bin"), URI.create(g.base() + "/targets/"), Files.createDirectories(dir.resolve("lock-1-images"))));

        assertTrue(refused.getMessage().contains("502"), refused.getMessage());
        assertEquals(List.of(), g.cache().hashes(), "nothing of the rewritten bytes is kept");
        assertTrue(log().contains("lock-fw/1.5.0.bin refused"), log());
    }

    @Test
    void checkInsPassUnchangedAndWhileTheCloudIsAwayTheDeviceIsToldToRetryAndKeepsItsReports() throws Exception {
        DevicePeer server = opened(new DevicePeer());
        Relay cloud = opened(new Relay(server.base()));
        ImageRepository unused = opened(new ImageRepository());
        Gateway g = gateway(cloud.base(), unused.rootBytes(), 1 << 20, Clock.systemUTC());
        VirtualTime time = new VirtualTime(Instant.parse("2026-11-25T10:00:00Z"));
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, String.join("\n", "server.url=" + g.base(), "device.id=lock-0042", "hardware.id=lock-v2",
                "enrollment.token=t", "state.command=echo idle", "properties.file=device.properties", "data.dir=data",
                "request.timeout-seconds=5", ""));
        DeviceRunner device = DeviceRunner.of(RunConfig.load(file), HttpClientTransport.create(g.base(), Duration.ofSeconds(5)), time,
                time.sleeper(), new SplittableRandom(7), new PrintStream(log, true, StandardCharsets.UTF_8));
        DeviceJournal journal = device.session().journal();

        journal.addReport(new Report("a-9", 1, Report.State.ASSIGNED, time.instant(), ""));
        device.cycle();
        assertEquals(List.of(1L), server.device("lock-0042").counters, "signed check-in accepted as the device made it\n" + log());
        assertEquals(List.of(), journal.unacked());

        cloud.down = true;
        journal.addReport(new Report("a-9", 2, Report.State.DOWNLOADING, time.instant(), ""));
        journal.addReport(new Report("a-9", 3, Report.State.DOWNLOADED, time.instant(), ""));
        Duration wait = device.cycle();
        device.cycle();
        assertTrue(wait.compareTo(Duration.ofSeconds(60)) >= 0, "Retry-After honoured: " + wait);
        assertEquals(2, journal.unacked().size(), "the reports stay with the device\n" + log());
        assertTrue(log().contains("throttled: retry after 60 s"), log());

        cloud.down = false;
        device.cycle();
        List<Long> counters = server.device("lock-0042").counters;
        assertEquals(2, counters.size(), "the check-ins of the outage never reached the server: " + counters);
        assertTrue(counters.get(1) > counters.get(0));
        List<Report> delivered = server.device("lock-0042").checkins.get(1).reports();
        assertEquals(List.of(2L, 3L), delivered.stream().map(Report::seq).toList(), "in order, once");
        assertEquals(List.of(), journal.unacked());
    }

    @Test
    void whileTheCloudIsAwayADevicesDirectorCopyIsServedOnlyToTheTokenTheCloudLastAcceptedForIt() throws Exception {
        byte[] timestamp = "{\"signed\":{\"_type\":\"timestamp\",\"version\":3},\"signatures\":[]}".getBytes(StandardCharsets.UTF_8);
        byte[] imageTimestamp = "{\"signed\":{\"_type\":\"timestamp\",\"version\":9},\"signatures\":[]}".getBytes(StandardCharsets.UTF_8);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                boolean director = path.equals("/director/lock-1/metadata/timestamp.json")
                        && "Bearer good".equals(ex.getRequestHeaders().getFirst("Authorization"));
                byte[] body = director ? timestamp : path.equals("/metadata/timestamp.json") ? imageTimestamp : new byte[0];
                ex.sendResponseHeaders(body.length > 0 ? 200 : path.startsWith("/director/") ? 401 : 404, body.length > 0 ? body.length : -1);
                if (body.length > 0) ex.getResponseBody().write(body);
            }
        });
        server.start();
        opened(() -> server.stop(0));
        Relay cloud = opened(new Relay(URI.create("http://127.0.0.1:" + server.getAddress().getPort())));
        Gateway g = gateway(cloud.base(), opened(new ImageRepository()).rootBytes(), 1 << 20, Clock.systemUTC());
        assertEquals(200, get(g, "/director/lock-1/metadata/timestamp.json", "Bearer good").statusCode());
        assertEquals(401, get(g, "/director/lock-1/metadata/timestamp.json", "Bearer guess").statusCode(), "the cloud decides while it answers");
        assertEquals(200, get(g, "/metadata/timestamp.json", null).statusCode());

        cloud.down = true;

        var kept = get(g, "/director/lock-1/metadata/timestamp.json", "Bearer good");
        assertEquals(200, kept.statusCode());
        assertArrayEquals(timestamp, kept.body(), "passed on unchanged, never re-signed");
        var refused = get(g, "/director/lock-1/metadata/timestamp.json", "Bearer guess");
        assertEquals(503, refused.statusCode());
        assertEquals("60", refused.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(503, get(g, "/director/lock-1/metadata/timestamp.json", null).statusCode());
        assertArrayEquals(imageTimestamp, get(g, "/metadata/timestamp.json", null).body(), "the last image timestamp; devices judge its expiry");
        assertEquals(404, get(g, "/metadata/2.root.json", null).statusCode(), "no newer root known here");
    }

    private static java.net.http.HttpResponse<byte[]> get(Gateway g, String path, String authorization) throws Exception {
        return request(g, path, authorization == null ? Map.of() : Map.of("Authorization", authorization));
    }

    private static java.net.http.HttpResponse<byte[]> request(Gateway g, String path, Map<String, String> headers) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(URI.create(g.base() + path)).GET();
        headers.forEach(b::header);
        return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }
}
