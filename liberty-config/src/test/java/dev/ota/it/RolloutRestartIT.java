package dev.ota.it;

import static dev.ota.it.ItRollouts.number;
import static dev.ota.it.ItRollouts.string;
import static dev.ota.it.ItRollouts.waves;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ota.protocol.Report;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fleet.md's "server restart mid-wave" (decision 5: everything in the database, every transition a compare-and-set,
 * a scheduler that survives restarts and runs on one server at a time): agents follow a rollout, the server is killed
 * as in a power cut while the second wave is under way, and the rollout goes on either on the same server started
 * again (embedded H2) or on a second server of the same PostgreSQL database taking over (when
 * OTA_IT_ROLLOUT_DB_URL names an empty database; .ci/run creates it). Either way it must resume exactly where it was:
 * no device gets a second action, every report in a device journal reaches the server once and the server holds no
 * other, and the waves' counts equal what the device journals say. The two invariants are checked after every agent
 * cycle. Servers of their own, driven through {@code wlp/bin/server} (the it-crash execution), in virtual time.
 */
class RolloutRestartIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    /** RolloutTicker's lease: a killed server's claim on the tick ends after it, in the server's time. */
    private static final Duration TICK_LEASE = Duration.ofMinutes(5);
    private static final int DEVICES = 5;

    private final List<ClusterServer> servers = new ArrayList<>();
    private final Thread killOnExit = new Thread(() -> servers.forEach(ClusterServer::kill), "rollout-restart-it-kill");

    @BeforeEach
    void onlyInItsOwnExecution() {
        // -Dit.test=RolloutRestartIT selects it in every failsafe execution; it runs in it-crash only.
        assumeTrue(System.getProperty("ota.it.crash.data.dir") != null, "runs in the it-crash execution");
        Runtime.getRuntime().addShutdownHook(killOnExit);
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

    @Test
    void aServerKilledMidWaveAndStartedAgainOnTheEmbeddedDatabaseResumesWithoutADuplicateActionOrALostReport()
            throws Exception {
        Path dataDir = fresh("ota-rollout-h2");
        ClusterServer server = server("ota-rollout-h2", "ota.it.crash.http.port", "ota.it.crash.https.port", dataDir,
                Map.of());
        startAll(dataDir, server);

        killedMidWave(dataDir, server, () -> {
            server.start();
            server.awaitReady(START_TIMEOUT);
            return server;
        });
    }

    @Test
    void aSecondServerOfTheSamePostgresqlDatabaseTakesOverARolloutWhoseServerWasKilledMidWave() throws Exception {
        String dbUrl = System.getenv("OTA_IT_ROLLOUT_DB_URL");
        assumeTrue(dbUrl != null && !dbUrl.isBlank(), "OTA_IT_ROLLOUT_DB_URL is not set");
        try (Connection c = DriverManager.getConnection(dbUrl, System.getenv("OTA_IT_DB_USER"),
                System.getenv("OTA_IT_DB_PASSWORD"));
             ResultSet tables = c.createStatement().executeQuery(
                     "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")) {
            tables.next();
            assertEquals(0, tables.getLong(1), "OTA_IT_ROLLOUT_DB_URL must name an empty database (.ci/run recreates it)");
        }
        Map<String, String> db = Map.of("OTA_DB", "postgresql", "OTA_DB_URL", dbUrl,
                "OTA_DB_USER", System.getenv("OTA_IT_DB_USER"), "OTA_DB_PASSWORD", System.getenv("OTA_IT_DB_PASSWORD"));
        // One database and one data directory (blob store, keystores, the clock file) for both, as ClusterIT runs.
        Path dataDir = fresh("ota-rollout-pg");
        ClusterServer a = server("ota-rollout-pg-a", "ota.it.crash.http.port", "ota.it.crash.https.port", dataDir, db);
        ClusterServer b = server("ota-rollout-pg-b", "ota.it.crash.b.http.port", "ota.it.crash.b.https.port", dataDir,
                db);
        startAll(dataDir, a, b);

        killedMidWave(dataDir, a, () -> b);
    }

    /** What takes over once the first server died: itself started again, or another server already running. */
    private interface TakingOver {
        ClusterServer get() throws Exception;
    }

    private void killedMidWave(Path dataDir, ClusterServer first, TakingOver takingOver) throws Exception {
        ServerClock clock = new ServerClock(dataDir.resolve("clock-shift"));
        ItRollouts it = new ItRollouts(first.http, base(first), clock, "lock-rr");
        String path = "lock-fw/rr-" + it.run + "-42.bin";
        it.upload(path, 42, "firmware 42 HEALTHY " + it.run);
        List<ItAgent> agents = it.agents("rr", DEVICES);
        String id = it.started(path, "\"canary\":2,\"waves\":[100],\"soakMinutes\":0,\"successPct\":100");

        JsonObject secondWave = it.cyclesUntil(agents, id, r -> string(waves(r).get(1), "state").equals("ACTIVE"));
        assertEquals(2, number(waves(secondWave).get(0), "succeeded"), it.log());
        // Mid-wave: the second wave has just started (its devices' orders are signed, none of them is done); the server
        // dies now, before another round could finish the wave (one round may finish an install and its health check).
        assertTrue(number(waves(secondWave).get(1), "succeeded") < DEVICES - 2, "still mid-wave: " + secondWave);

        first.kill();
        first.awaitExit(Duration.ofSeconds(60));
        // The devices go on while no server answers: their reports stay in their journals.
        it.cyclesWithoutServer(agents);
        ClusterServer next = takingOver.get();
        if (next != first) {
            it.serveFrom(next.http, base(next), agents);
        }
        // The dead server's claim on the rollout tick ends after its lease, in the server's time.
        clock.advance(TICK_LEASE.plusMinutes(1));

        JsonObject done = it.cyclesUntil(agents, id, r -> string(r, "state").equals("COMPLETED"));

        Set<String> succeededInJournals = new TreeSet<>();
        for (ItAgent a : agents) {
            List<Report> journal = a.journalReports();
            assertEquals(ItRollouts.byActionAndSeq(journal), ItRollouts.byActionAndSeq(it.reports(a.id())),
                    a.id() + ": every report of its journal reached the server once, and the server holds no other");
            Set<String> actions = new TreeSet<>(journal.stream().map(Report::actionId).toList());
            assertEquals(1, actions.size(), a.id() + " worked on one action only: " + actions);
            assertEquals(Set.of(actions.iterator().next()), ordersSignedFor(it, a, path), a.id() + ": the director "
                    + "never signed a second action (or attempt) of the release for it");
            if (journal.stream().anyMatch(r -> r.state() == Report.State.SUCCEEDED)) {
                succeededInJournals.add(a.id());
            }
            assertEquals(JsonValue.of(path), it.running(a.id()).get("filepath"));
        }
        assertEquals(DEVICES, succeededInJournals.size(), "every device's journal says it succeeded");
        long succeeded = 0;
        for (JsonObject wave : waves(done)) {
            assertEquals("PASSED", string(wave, "state"));
            assertEquals(0, number(wave, "failed"));
            succeeded += number(wave, "succeeded");
        }
        assertEquals(succeededInJournals.size(), succeeded, "the waves' counts equal the device journals");
        Map<String, Integer> waveEnds = new HashMap<>();
        for (ItAudit.Entry e : ItAudit.of(it.http, "rollout.wave-ended", id)) {
            waveEnds.merge(e.detail(), 1, Integer::sum);
        }
        assertEquals(Map.of("wave 0 PASSED", 1, "wave 1 PASSED", 1), waveEnds, "each wave ended once");
    }

    /** The (actionId, attempt) of every director targets version ever signed for the device that lists {@code path}. */
    private static Set<String> ordersSignedFor(ItRollouts it, ItAgent agent, String path) {
        Set<String> orders = new TreeSet<>();
        for (JsonObject targets : it.invariants.directorHistory(agent).values()) {
            JsonObject target = (JsonObject) ((JsonObject) targets.get("targets")).get(path);
            if (target != null) {
                JsonObject custom = (JsonObject) target.get("custom");
                assertEquals(1, number(custom, "attempt"), agent.id() + ": a second attempt was signed");
                orders.add(string(custom, "actionId"));
            }
        }
        return orders;
    }

    /** An empty data directory {@code name} of the it-crash execution. */
    private static Path fresh(String name) throws Exception {
        Path dir = Path.of(System.getProperty("ota.it.crash.data.dir")).resolve(name);
        ClusterServer.deleteRecursively(dir);
        return Files.createDirectories(dir);
    }

    private ClusterServer server(String name, String httpPort, String httpsPort, Path dataDir, Map<String, String> db)
            throws Exception {
        Map<String, String> env = new HashMap<>(db);
        env.put("OTA_TEST_CLOCK_FILE", dataDir.resolve("clock-shift").toString());
        // Decides every second, as ItRollouts' pauses between rounds expect (OTA_ROLLOUT_TICK_SECONDS in the pom).
        env.put("OTA_ROLLOUT_TICK_SECONDS", "1");
        env.put("OTA_ROLLOUT_ORDER_BATCH", "3");
        ClusterServer server = ClusterServer.inCrashExecution(name, Integer.parseInt(System.getProperty(httpPort)),
                Integer.parseInt(System.getProperty(httpsPort)), dataDir, env);
        servers.add(server);
        return server;
    }

    /** Starts the servers together and replaces the administrator's one-time password. */
    private static void startAll(Path dataDir, ClusterServer... all) throws Exception {
        for (ClusterServer s : all) {
            s.start();
        }
        for (ClusterServer s : all) {
            s.awaitReady(START_TIMEOUT);
        }
        ItAccounts.changeOneTimePassword(all[0].http, ItAccounts.ADMIN,
                Files.readString(dataDir.resolve("initial-admin-password")).strip(), ItAccounts.ADMIN_PASSWORD);
    }

    private static String base(ClusterServer server) {
        return "http://127.0.0.1:" + server.httpPort;
    }
}
