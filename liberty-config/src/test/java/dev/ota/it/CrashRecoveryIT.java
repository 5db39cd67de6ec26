package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.client.UrlConnectionFetcher;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Timestamp;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's life across restarts, with a server of its own driven through {@code wlp/bin/server}
 * (the Arquillian-managed one can neither be halted nor restarted by a test).
 * <ul>
 * <li>On the embedded H2 database, stopped and started again: every file served before is served
 * unchanged, and the next publish continues the numbering.</li>
 * <li>On H2, and on PostgreSQL when OTA_IT_CRASH_DB_URL names an empty database, the process dies in
 * the middle of a publish as in a power cut: at every step (the changed hash bin written, the snapshot
 * written, the timestamp written, the head moved but not committed) the server halts itself (fault
 * injection, {@code halt <point>}), is started again, and must serve exactly what it served before the
 * crash, nothing of the lost publish, and publish the same release again with the next version
 * numbers, which a TUF client trusting only root version 1 accepts. On H2 this needs the settings of
 * the default URL (server.xml): with H2's own defaults the same halts lost publishes committed
 * seconds earlier.</li>
 * </ul>
 */
class CrashRecoveryIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final List<String> CRASH_POINTS = List.of(
            "publish.before-head-move", "publish.after-targets", "publish.after-snapshot", "publish.before-commit");
    /** FaultInjection.HALT_STATUS: the process ended by the injected halt, not by anything else. */
    private static final int HALT_STATUS = 86;

    private ClusterServer server;
    private final Thread killOnExit = new Thread(() -> server.kill(), "crash-it-kill");
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path clientDirs;

    @BeforeEach
    void onlyInItsOwnExecution() {
        // -Dit.test=CrashRecoveryIT selects it in every failsafe execution; it runs in it-crash only.
        assumeTrue(System.getProperty("ota.it.crash.data.dir") != null, "runs in the it-crash execution");
    }

    @AfterEach
    void stopServer() {
        ClusterServer.stop(server, killOnExit);
    }

    @Test
    void aServerRestartedOnTheEmbeddedDatabaseServesEveryEarlierFileUnchangedAndContinuesTheNumbering()
            throws Exception {
        Path dataDir = startFresh("ota-restart", Map.of());
        byte[] trustedRoot = ok(server.http.get("/metadata/1.root.json")).body();
        HttpResponse<byte[]> first = upload("firmware/restart/one.bin", randomBytes(4096));
        assertEquals(201, first.statusCode(), Http.text(first));
        assertEquals(201, upload("firmware/restart/two.bin", randomBytes(4096)).statusCode());
        long firstId = ((JsonValue.JsonNumber) ((JsonValue.JsonObject) Json.parse(first.body(), "release")).get("id"))
                .value().longValueExact();
        assertEquals(200, server.http.send("DELETE", "/portal/api/v1/releases/" + firstId, admin()).statusCode(),
                "a removal is part of the history too");
        Map<String, String> servedBefore = versionedFilesServed();
        byte[] timestampBefore = ok(server.http.get("/metadata/timestamp.json")).body();
        Timestamp before = Signed.parse(timestampBefore, Timestamp.class, "timestamp.json").signed();

        server.stop();
        server.start();
        server.awaitReady(START_TIMEOUT);

        assertTrue(Files.isRegularFile(dataDir.resolve("h2/ota.mv.db")), "the embedded database in the data directory");
        assertArrayEquals(timestampBefore, ok(server.http.get("/metadata/timestamp.json")).body());
        assertEquals(servedBefore, versionedFilesServed(), "every versioned file as before the restart");
        byte[] image = randomBytes(8192);
        assertEquals(201, upload("firmware/restart/three.bin", image).statusCode());
        Timestamp after = Signed.parse(ok(server.http.get("/metadata/timestamp.json")).body(), Timestamp.class,
                "timestamp.json").signed();
        assertEquals(before.version() + 1, after.version(), "timestamp numbering continues");
        assertEquals(before.snapshotMeta().version() + 1, after.snapshotMeta().version(), "snapshot numbering continues");
        assertEveryReleaseVerifiesFromRootOne(trustedRoot, "after-restart",
                List.of("firmware/restart/two.bin", "firmware/restart/three.bin"), "firmware/restart/three.bin", image);
    }

    @Test
    void aServerHaltedAtAnyStepOfAPublishOnTheEmbeddedDatabaseRestartsServingThePreviousState() throws Exception {
        haltAtEveryStep(startFresh("ota-crash-h2", Map.of("OTA_ALLOW_FAULT_INJECTION", "true")));
    }

    @Test
    void aServerHaltedAtAnyStepOfAPublishOnPostgresqlRestartsServingThePreviousState() throws Exception {
        String dbUrl = System.getenv("OTA_IT_CRASH_DB_URL");
        assumeTrue(dbUrl != null && !dbUrl.isBlank(), "OTA_IT_CRASH_DB_URL is not set");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(dbUrl, System.getenv("OTA_IT_DB_USER"),
                System.getenv("OTA_IT_DB_PASSWORD"));
             java.sql.ResultSet tables = c.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            tables.next();
            assertEquals(0, tables.getLong(1), "OTA_IT_CRASH_DB_URL must name an empty database (.ci/run recreates it)");
        }
        haltAtEveryStep(startFresh("ota-crash-pg", Map.of(
                "OTA_DB", "postgresql",
                "OTA_DB_URL", dbUrl,
                "OTA_DB_USER", System.getenv("OTA_IT_DB_USER"),
                "OTA_DB_PASSWORD", System.getenv("OTA_IT_DB_PASSWORD"),
                "OTA_ALLOW_FAULT_INJECTION", "true")));
    }

    /**
     * At each step of a publish in turn: halt the server there, start it again, and check that it
     * serves what it served before, nothing of the lost publish, and publishes the same release again
     * with the next version numbers, verified by a TUF client that trusts root version 1 only.
     */
    private void haltAtEveryStep(Path dataDir) throws Exception {
        byte[] trustedRoot = ok(server.http.get("/metadata/1.root.json")).body();
        assertEquals(201, upload("firmware/crash/before.bin", randomBytes(4096)).statusCode());
        Path trigger = dataDir.resolve("fault-injection");

        List<String> published = new ArrayList<>(List.of("firmware/crash/before.bin"));
        for (String point : CRASH_POINTS) {
            Map<String, String> servedBefore = versionedFilesServed();
            byte[] timestampBefore = ok(server.http.get("/metadata/timestamp.json")).body();
            Timestamp before = Signed.parse(timestampBefore, Timestamp.class, "timestamp.json").signed();
            String path = "firmware/crash/" + point.substring("publish.".length()) + ".bin";
            byte[] image = randomBytes(8192);

            Files.writeString(trigger, "halt " + point);
            try {
                upload(path, image);
            } catch (IllegalStateException connectionLost) {
                // expected: the server died while answering
            }
            assertEquals(HALT_STATUS, server.awaitExit(Duration.ofSeconds(60)),
                    point + ": the server ended by the injected halt; " + server.logHint());
            Files.delete(trigger);
            server.start();
            server.awaitReady(START_TIMEOUT);

            assertArrayEquals(timestampBefore, ok(server.http.get("/metadata/timestamp.json")).body(),
                    point + ": timestamp.json as before the crash");
            assertEquals(servedBefore, versionedFilesServed(), point + ": every versioned file as before the crash");
            assertEquals(404, server.http.get("/metadata/" + (before.snapshotMeta().version() + 1) + ".snapshot.json")
                    .statusCode(), point + ": nothing of the lost publish is served");

            HttpResponse<byte[]> again = upload(path, image);
            assertEquals(201, again.statusCode(), point + ": " + Http.text(again));
            Timestamp after = Signed.parse(ok(server.http.get("/metadata/timestamp.json")).body(), Timestamp.class,
                    "timestamp.json").signed();
            assertEquals(before.version() + 1, after.version(), point + ": timestamp numbering continues");
            assertEquals(before.snapshotMeta().version() + 1, after.snapshotMeta().version(),
                    point + ": snapshot numbering continues");
            published.add(path);
            assertEveryReleaseVerifiesFromRootOne(trustedRoot, point, published, path, image);
        }
    }

    /**
     * A new server {@code name} on a fresh data directory, started and installed, its administrator's
     * one-time password replaced; {@code environment} adds to the settings every server here has.
     */
    private Path startFresh(String name, Map<String, String> environment) throws Exception {
        Path dataDir = Path.of(System.getProperty("ota.it.crash.data.dir")).resolve(name);
        Map<String, String> env = new java.util.HashMap<>(environment);
        // No re-signing of its own while what it serves is compared with what it served before.
        env.put("OTA_REFRESH_CHECK_SECONDS", "3600");
        ClusterServer.deleteRecursively(dataDir);
        server = ClusterServer.inCrashExecution(name, Integer.parseInt(System.getProperty("ota.it.crash.http.port")),
                Integer.parseInt(System.getProperty("ota.it.crash.https.port")), dataDir, env).withC1CompilerOnly();
        Runtime.getRuntime().addShutdownHook(killOnExit);
        server.start();
        server.awaitReady(START_TIMEOUT);
        ItAccounts.changeOneTimePassword(server.http, ItAccounts.ADMIN,
                Files.readString(dataDir.resolve("initial-admin-password")).strip(), ItAccounts.ADMIN_PASSWORD);
        return dataDir;
    }

    private static String[] admin() {
        return Http.basic(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);
    }

    private void assertEveryReleaseVerifiesFromRootOne(byte[] trustedRoot, String point, List<String> published,
                                                       String newest, byte[] newestImage) throws Exception {
        Path dir = Files.createDirectories(clientDirs.resolve(point));
        Files.write(dir.resolve("root.json"), trustedRoot);
        Updater client = new Updater(URI.create(base() + "/metadata/"), dir,
                new UrlConnectionFetcher(Duration.ofSeconds(10), Duration.ofSeconds(30)), Clock.systemUTC(),
                UpdaterConfig.defaults());
        client.refresh();
        for (String path : published) {
            client.findTarget(path);
        }
        TargetFile found = client.findTarget(newest);
        Path downloaded = client.downloadTarget(newest, found, URI.create(base() + "/targets/"),
                Files.createDirectories(dir.resolve("targets")));
        assertArrayEquals(newestImage, Files.readAllBytes(downloaded), point + ": the re-published image");
    }

    private Map<String, String> versionedFilesServed() {
        return VersionedFiles.servedBy(server.http, VersionedFiles.names(server.http));
    }

    private HttpResponse<byte[]> upload(String path, byte[] body) {
        return server.http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=1&hardwareId=crash-hw",
                body, admin());
    }

    private String base() {
        return "http://127.0.0.1:" + server.httpPort;
    }

    private static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), () -> r.uri() + ": " + Http.text(r));
        return r;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
