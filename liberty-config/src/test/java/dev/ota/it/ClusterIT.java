package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.client.UrlConnectionFetcher;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Timestamp;
import dev.ota.tuf.trust.TrustedMetadataSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * Two real Liberty servers on one PostgreSQL database and one data directory (blob store and
 * keystore), driven through {@code wlp/bin/server}: what an operator gets who runs the server
 * twice for availability. The servers' life is one story (started together on an empty database,
 * one stopped, both stopped, one started again), so its chapters are dynamic tests of one factory
 * that run in order; a chapter after a failed one is skipped rather than failing for a reason
 * not its own. Runs only when OTA_IT_CLUSTER_DB_URL names an empty database (.ci/run creates it).
 */
class ClusterIT {
    /** Generous: two servers start at once on a 2-core machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    /** Short, so that re-signing happens during the test; re-signed when less than half is left. */
    private static final Duration TIMESTAMP_VALIDITY = Duration.ofSeconds(15);
    private static final int REFRESH_CHECK_SECONDS = 1;
    private static final long HEAD_CHECK_MILLIS = 1000;
    /** Short, so that a server stopped in the middle of re-signing hands the job over well within the chapter. */
    private static final Duration JOB_LEASE = Duration.ofSeconds(5);
    private static final String ADMIN_PASSWORD = ItAccounts.ADMIN_PASSWORD;

    private Path dataDir;
    private final List<ClusterServer> servers = new ArrayList<>();
    private final Thread killOnExit = new Thread(() -> servers.forEach(ClusterServer::kill), "cluster-it-kill");
    private final SecureRandom random = new SecureRandom();
    private boolean storyIntact = true;

    private ClusterServer a;
    private ClusterServer b;
    private byte[] trustedRoot;

    @TempDir
    Path clientDirs;

    @TestFactory
    Stream<DynamicTest> twoServersSharingOneDatabase() throws Exception {
        // Only in its own failsafe execution (-Dit.test=ClusterIT selects it in every execution).
        String data = System.getProperty("ota.it.cluster.data.dir");
        assumeTrue(data != null, "runs in the it-cluster execution");
        String dbUrl = System.getenv("OTA_IT_CLUSTER_DB_URL");
        assumeTrue(dbUrl != null && !dbUrl.isBlank(), "OTA_IT_CLUSTER_DB_URL is not set");
        assertDatabaseEmpty();
        dataDir = Path.of(data);
        Path wlp = Path.of(System.getProperty("wlp.home"));
        ClusterServer.deleteRecursively(dataDir);
        Map<String, String> env = Map.of(
                "OTA_DB", "postgresql",
                "OTA_DB_URL", dbUrl,
                "OTA_DB_USER", System.getenv("OTA_IT_DB_USER"),
                "OTA_DB_PASSWORD", System.getenv("OTA_IT_DB_PASSWORD"),
                "OTA_DATA_DIR", dataDir.toString(),
                "OTA_EXPIRY_TIMESTAMP", TIMESTAMP_VALIDITY.toString(),
                "OTA_REFRESH_CHECK_SECONDS", Integer.toString(REFRESH_CHECK_SECONDS),
                "OTA_HEAD_CHECK_MILLIS", Long.toString(HEAD_CHECK_MILLIS),
                "OTA_JOB_LEASE_SECONDS", Long.toString(JOB_LEASE.toSeconds()),
                "OTA_HASH_BINS", "16");
        Path config = Path.of(System.getProperty("ota.liberty.config.dir"));
        Path jdbc = Path.of(System.getProperty("ota.it.jdbc.dir"));
        Path ear = Path.of(System.getProperty("ota.ear.file"));
        Runtime.getRuntime().addShutdownHook(killOnExit);
        a = ClusterServer.create(wlp, "ota-cluster-a", port("ota.it.cluster.a.http.port"),
                port("ota.it.cluster.a.https.port"), config, jdbc, ear, env).withC1CompilerOnly();
        servers.add(a);
        b = ClusterServer.create(wlp, "ota-cluster-b", port("ota.it.cluster.b.http.port"),
                port("ota.it.cluster.b.https.port"), config, jdbc, ear, env).withC1CompilerOnly();
        servers.add(b);
        return Stream.of(
                chapter("twoServersStartedTogetherOnAnEmptyDatabaseCreateExactlyOneRepository",
                        this::twoServersStartedTogetherOnAnEmptyDatabaseCreateExactlyOneRepository),
                chapter("releaseUploadedThroughOneServerIsServedByTheOtherWithinTheHeadCheckInterval",
                        this::releaseUploadedThroughOneServerIsServedByTheOtherWithinTheHeadCheckInterval),
                chapter("devicePollingOneServerSeesDirectorSigningAndDecommissionDoneOnTheOther",
                        this::devicePollingOneServerSeesDirectorSigningAndDecommissionDoneOnTheOther),
                chapter("reSigningRunsOnOneServerAtATimeWhileBothServersTickEverySecond",
                        this::reSigningRunsOnOneServerAtATimeWhileBothServersTickEverySecond),
                chapter("remainingServerKeepsResigningTheTimestampAfterTheOtherStops",
                        this::remainingServerKeepsResigningTheTimestampAfterTheOtherStops),
                chapter("restartedServerServesEveryEarlierFileUnchangedAndContinuesTheNumbering",
                        this::restartedServerServesEveryEarlierFileUnchangedAndContinuesTheNumbering));
    }

    @AfterEach
    void stopServers() {
        servers.forEach(ClusterServer::stop);
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException | IllegalArgumentException alreadyExitingOrNeverAdded) {
            // nothing left to undo
        }
    }

    void twoServersStartedTogetherOnAnEmptyDatabaseCreateExactlyOneRepository() throws Exception {
        a.start();
        b.start();
        a.awaitReady(START_TIMEOUT);
        b.awaitReady(START_TIMEOUT);

        // One installation: the database holds one of everything a bootstrap creates ...
        assertEquals(1, count("SELECT COUNT(*) FROM repository_head"));
        assertEquals(1, count("SELECT COUNT(*) FROM signed_metadata WHERE role_name = 'root'"));
        assertEquals(1, count("SELECT COUNT(*) FROM app_user"));
        assertEquals(1, count("SELECT COUNT(*) FROM audit_entry WHERE action = 'repository.bootstrap'"));
        assertEquals(1, count("SELECT COUNT(*) FROM director_root"));
        assertEquals(1, count("SELECT COUNT(*) FROM audit_entry WHERE action = 'director.bootstrap'"));
        assertEquals(1, count("SELECT COUNT(*) FROM audit_entry WHERE action = 'account.create'"));
        // ... one server did it and the other found it done ...
        List<String> logs = List.of(a.messages(), b.messages());
        assertEquals(1, logs.stream().filter(l -> l.contains("bootstrapped a new TUF repository")).count(),
                "exactly one server bootstraps");
        assertEquals(1, logs.stream().filter(l -> l.contains("online keys stored in")).count(),
                "exactly one server writes the keystore");
        assertEquals(1, logs.stream().filter(l -> l.contains("repository present")).count(),
                "the other server uses the repository it finds");
        System.out.println("ClusterIT: the second server "
                + (logs.stream().anyMatch(l -> l.contains("waiting for it to finish"))
                ? "waited for the first one's installation" : "started after the first had installed"));
        // ... and the data directory holds one keystore, whose keys root version 1 trusts, and the director's apart.
        try (Stream<Path> keys = Files.list(dataDir.resolve("keys"))) {
            assertEquals(Set.of("online-keys.p12", "director-keys.p12", "keystore-password"),
                    keys.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
        trustedRoot = ok(a.http.get("/metadata/1.root.json")).body();
        assertArrayEquals(trustedRoot, ok(b.http.get("/metadata/1.root.json")).body());
        assertTrue(b.http.get("/metadata/2.root.json").statusCode() == 404, "root stays at version 1");
        byte[] timestamp = eventuallyIdentical("/metadata/timestamp.json");
        new TrustedMetadataSet(trustedRoot, Instant.now()).updateTimestamp(timestamp);
        // The one-time password in the shared data directory is that of the one administrator both serve.
        String oneTime = Files.readString(dataDir.resolve("initial-admin-password")).strip();
        ItAccounts.changeOneTimePassword(a.http, ItAccounts.ADMIN, oneTime, ADMIN_PASSWORD);
        assertEquals(200, b.http.get("/portal/api/v1/account", admin()).statusCode());
    }

    void releaseUploadedThroughOneServerIsServedByTheOtherWithinTheHeadCheckInterval() throws Exception {
        byte[] image = randomBytes(32 * 1024);
        String path = "firmware/cluster/image-1.bin";

        HttpResponse<byte[]> created = upload(a, path, "1.0", image);
        long snapshotAfterUpload = snapshotVersionNamedBy(ok(a.http.get("/metadata/timestamp.json")).body());
        long uploaded = System.nanoTime();
        long seenAfterMillis = -1;
        while (System.nanoTime() - uploaded < Duration.ofSeconds(30).toNanos()) {
            if (snapshotVersionNamedBy(ok(b.http.get("/metadata/timestamp.json")).body()) >= snapshotAfterUpload) {
                seenAfterMillis = Duration.ofNanos(System.nanoTime() - uploaded).toMillis();
                break;
            }
            Thread.sleep(50);
        }

        assertEquals(201, created.statusCode(), Http.text(created));
        assertTrue(seenAfterMillis >= 0, "the other server never served the new snapshot");
        System.out.println("ClusterIT: the other server served the upload after " + seenAfterMillis + " ms");
        // The head check interval, plus room for two servers on a starved machine (both run the C1 compiler only,
        // on two cores beside PostgreSQL); without following the head it never would.
        assertTrue(seenAfterMillis <= HEAD_CHECK_MILLIS + 9000, "served after " + seenAfterMillis + " ms");
        Updater client = clientTrusting("after-upload", b);
        client.refresh();
        TargetFile found = client.findTarget(path);
        assertEquals(image.length, found.length());
        assertEquals(sha256(image), found.hashes().get("sha256"));
        Path downloaded = client.downloadTarget(path, found, URI.create(base(b) + "/targets/"),
                Files.createDirectories(clientDirs.resolve("after-upload-targets")));
        assertArrayEquals(image, Files.readAllBytes(downloaded));
    }

    /**
     * Each server keeps the device's director timestamp in memory and checks bearer tokens without the database
     * (bench/README.md): a token minted by one server opens the other, the server that holds the old timestamp
     * serves the one the other signed on the very next poll, and a decommission on one ends the token on the other.
     */
    void devicePollingOneServerSeesDirectorSigningAndDecommissionDoneOnTheOther() throws Exception {
        TestDevice device = ItFleet.enrolled(a.http, admin(), "cluster-lock-" + Long.toUnsignedString(random.nextLong(), 36),
                "lock-v2");
        String token = ItFleet.string(ok(device.checkin(a.http)), "token");
        String path = "/director/" + device.id + "/metadata/timestamp.json";
        HttpResponse<byte[]> first = ok(b.http.get(path, "Authorization", "Bearer " + token));
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> unchanged = b.http.get(path, "Authorization", "Bearer " + token, "If-None-Match", etag);
        assertEquals(304, unchanged.statusCode(), Http.text(unchanged));

        HttpResponse<byte[]> cancelled = a.http.send("DELETE", "/portal/api/v1/assignments/" + device.id, admin());
        assertEquals(200, cancelled.statusCode(), Http.text(cancelled));
        HttpResponse<byte[]> after = b.http.get(path, "Authorization", "Bearer " + token, "If-None-Match", etag);

        assertEquals(200, after.statusCode(), "the other server still answered with the timestamp it held: " + Http.text(after));
        assertTrue(Signed.parse(after.body(), Timestamp.class, "timestamp.json").signed().version()
                > Signed.parse(first.body(), Timestamp.class, "timestamp.json").signed().version());
        assertEquals(200, a.http.send("POST", "/portal/api/v1/devices/" + device.id + "/decommission", admin()).statusCode());
        HttpResponse<byte[]> refused = b.http.get(path, "Authorization", "Bearer " + token,
                "If-None-Match", after.headers().firstValue("ETag").orElseThrow());
        assertEquals(401, refused.statusCode(), "a decommissioned device's token ends on every server: " + Http.text(refused));
    }

    void reSigningRunsOnOneServerAtATimeWhileBothServersTickEverySecond() throws Exception {
        // Both servers tick every second and the job is due every second after its last start: without the
        // lease each server would run it at each of its ticks, about two runs a second.
        Job before = job();
        long started = System.nanoTime();
        Set<String> holders = new java.util.HashSet<>();
        while (System.nanoTime() - started < Duration.ofSeconds(8).toNanos()) {
            holders.add(job().lastHolder());
            Thread.sleep(200);
        }
        Job after = job();
        double seconds = (System.nanoTime() - started) / 1e9;

        long runs = after.runs() - before.runs();
        System.out.println("ClusterIT: " + runs + " runs of the re-signing job in " + Math.round(seconds)
                + " s by " + holders.size() + " server(s)");
        assertTrue(runs >= 2, "the job runs while both servers are up: " + runs + " runs");
        assertTrue(runs <= seconds + 2, runs + " runs in " + seconds + " s: more than one server ran a due run");
    }

    void remainingServerKeepsResigningTheTimestampAfterTheOtherStops() throws Exception {
        a.stop();
        // A was perhaps stopped while it held the job: its lease ends within JOB_LEASE, then B takes over.
        Thread.sleep(JOB_LEASE.toMillis());
        Job handedOver = job();
        Signed<Timestamp> first = timestamp(b);
        Instant firstExpiry = first.signed().expires();

        // Watch past the moment the timestamp served when A stopped expires.
        Signed<Timestamp> last = first;
        Set<String> holders = new java.util.HashSet<>();
        while (Instant.now().isBefore(firstExpiry.plusSeconds(1))) {
            holders.add(job().lastHolder());
            last = timestamp(b);
            Instant now = Instant.now();
            assertTrue(last.signed().expires().isAfter(now),
                    "served an expired timestamp (expires " + last.signed().expires() + ", now " + now + ")");
            Thread.sleep(250);
        }

        assertTrue(last.signed().version() > first.signed().version(),
                "the timestamp was re-signed: version " + first.signed().version() + " -> " + last.signed().version());
        assertTrue(job().runs() > handedOver.runs(), "the job goes on running on the remaining server");
        assertEquals(1, holders.size(), "after the hand-over one server runs the job: " + holders);
        Updater client = clientTrusting("after-failover", b);
        client.refresh();
        // At least the last one watched: the server goes on re-signing every few seconds, also between
        // that request and the client's.
        long accepted = client.trusted().timestamp().orElseThrow().signed().version();
        assertTrue(accepted >= last.signed().version(),
                "a TUF client accepts the re-signed timestamp: " + accepted + " < " + last.signed().version());
    }

    void restartedServerServesEveryEarlierFileUnchangedAndContinuesTheNumbering() throws Exception {
        Map<String, String> servedBefore = VersionedFiles.servedBy(b.http, VersionedFiles.names(b.http));
        long timestampBefore = timestamp(b).signed().version();
        b.stop();
        Job beforeRestart = job();
        // No re-sign on the restarted server during this chapter: one between reading the versions
        // and the upload would add a second timestamp version.
        a.start(Map.of("OTA_REFRESH_CHECK_SECONDS", "3600"));
        a.awaitReady(START_TIMEOUT);

        assertEquals(servedBefore, VersionedFiles.servedBy(a.http, servedBefore.keySet()),
                "versioned files served differently after the restart");
        // The schedule lives in the database: the job, overdue while both servers were down, ran once when A
        // came back, and is next due one (new) interval after that run, not at every tick or start.
        // (B may have been stopped while it held the job: then A waits for its lease to end.)
        long deadline = System.nanoTime() + JOB_LEASE.plusSeconds(10).toNanos();
        while (job().runs() == beforeRestart.runs() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(2000);
        Job afterRestart = job();
        assertEquals(beforeRestart.runs() + 1, afterRestart.runs(), "runs of the overdue job after the restart");
        assertTrue(afterRestart.nextRunAt().isAfter(Instant.now().plus(Duration.ofMinutes(50))),
                "next due " + afterRestart.nextRunAt());
        Signed<Timestamp> before = timestamp(a);
        long snapshotBefore = before.signed().snapshotMeta().version();
        assertTrue(before.signed().version() >= timestampBefore, "the timestamp did not go back");

        String path = "firmware/cluster/image-2.bin";
        HttpResponse<byte[]> created = upload(a, path, "2.0", randomBytes(8 * 1024));
        Signed<Timestamp> after = timestamp(a);

        assertEquals(201, created.statusCode(), Http.text(created));
        assertEquals(before.signed().version() + 1, after.signed().version(), "timestamp version");
        assertEquals(snapshotBefore + 1, after.signed().snapshotMeta().version(), "snapshot version");
        assertEquals(404, a.http.get("/metadata/2.root.json").statusCode(), "root stays at version 1");
        assertArrayEquals(trustedRoot, ok(a.http.get("/metadata/root.json")).body());
        Updater client = clientTrusting("after-restart", a);
        client.refresh();
        client.findTarget("firmware/cluster/image-1.bin");
        client.findTarget(path);
    }

    /** A chapter; skipped once an earlier one failed, and on failure names the server logs. */
    private DynamicTest chapter(String name, Executable body) {
        return DynamicTest.dynamicTest(name, () -> {
            assumeTrue(storyIntact, "an earlier chapter failed");
            try {
                body.execute();
            } catch (Throwable t) {
                storyIntact = false;
                System.err.println("ClusterIT: " + name + " failed; " + a.logHint() + " and " + b.logHint());
                throw t;
            }
        });
    }

    /** Both servers serve the same bytes (polled: a re-sign may land between the two requests). */
    private byte[] eventuallyIdentical(String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            byte[] fromA = ok(a.http.get(path)).body();
            byte[] fromB = ok(b.http.get(path)).body();
            if (MessageDigest.isEqual(fromA, fromB)) {
                return fromA;
            }
            Thread.sleep(100);
        }
        return fail("the two servers never served the same " + path);
    }

    private Updater clientTrusting(String name, ClusterServer server) throws IOException {
        Path dir = Files.createDirectories(clientDirs.resolve(name));
        Files.write(dir.resolve("root.json"), trustedRoot);
        // HTTP/1.1: java.net.http's h2c upgrade makes Liberty log SRVE0777E (the request still succeeds).
        return new Updater(URI.create(base(server) + "/metadata/"), dir,
                new UrlConnectionFetcher(Duration.ofSeconds(10), Duration.ofSeconds(30)), Clock.systemUTC(),
                UpdaterConfig.defaults());
    }

    private HttpResponse<byte[]> upload(ClusterServer server, String path, String version, byte[] body) {
        return server.http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=" + version
                + "&hardwareId=cluster-hw", body, admin());
    }

    private static Signed<Timestamp> timestamp(ClusterServer server) {
        return Signed.parse(ok(server.http.get("/metadata/timestamp.json")).body(), Timestamp.class, "timestamp.json");
    }

    private static long snapshotVersionNamedBy(byte[] timestamp) {
        return Signed.parse(timestamp, Timestamp.class, "timestamp.json").signed().snapshotMeta().version();
    }

    private static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), () -> r.uri() + ": " + Http.text(r));
        return r;
    }

    private static String[] admin() {
        return Http.basic(ItAccounts.ADMIN, ADMIN_PASSWORD);
    }

    private static String base(ClusterServer server) {
        return "http://127.0.0.1:" + server.httpPort;
    }

    private static int port(String property) {
        return Integer.parseInt(System.getProperty(property));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(System.getenv("OTA_IT_CLUSTER_DB_URL"), System.getenv("OTA_IT_DB_USER"),
                System.getenv("OTA_IT_DB_PASSWORD"));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The re-signing job's row (dev.ota.schedule). */
    private record Job(long runs, String leaseHolder, String lastHolder, Instant nextRunAt) {
    }

    private Job job() throws SQLException {
        try (Connection c = database(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT runs, lease_holder, last_holder, next_run_at FROM scheduled_job WHERE name = 'metadata.refresh'")) {
            assertTrue(rs.next(), "the re-signing job has its row");
            return new Job(rs.getLong(1), rs.getString(2), rs.getString(3),
                    rs.getObject(4, java.time.OffsetDateTime.class).toInstant());
        }
    }

    /** The story starts from nothing; a left-over schema would let a broken lock pass unnoticed. */
    private void assertDatabaseEmpty() throws SQLException {
        assertEquals(0, count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"),
                "OTA_IT_CLUSTER_DB_URL must name an empty database (.ci/run recreates it)");
    }
}
