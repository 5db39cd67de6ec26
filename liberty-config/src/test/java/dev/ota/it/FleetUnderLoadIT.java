package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ota.agent.fleet.Answer;
import dev.ota.agent.fleet.DeviceIdentity;
import dev.ota.agent.fleet.DeviceJournal;
import dev.ota.agent.fleet.DeviceResponse;
import dev.ota.agent.fleet.DeviceSession;
import dev.ota.agent.fleet.DeviceTransport;
import dev.ota.agent.fleet.HttpClientTransport;
import dev.ota.protocol.Checkin;
import dev.ota.protocol.CheckinResponse;
import dev.ota.protocol.EnrollmentResponse;
import dev.ota.protocol.Report;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Check-ins of many devices at once against a server of the test's own (like {@link CrashRecoveryIT}, in the
 * it-crash execution, which already starts servers of its own), with a check-in gate of one place
 * ({@code OTA_CHECKIN_CONCURRENCY=1}) so that a few devices are already more than it takes. The devices are the
 * agent library's ({@link DeviceSession}: own key, fsynced journal of counters and unacknowledged reports) over
 * real HTTP; what the server stored is read back through the management API.
 */
class FleetUnderLoadIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final String HARDWARE = "lock-v2";
    private static final long RETRY_AFTER_SECONDS = 1;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(240);

    private static ClusterServer server;
    private static final Thread KILL_ON_EXIT = new Thread(() -> server.kill(), "fleet-load-it-kill");

    @TempDir
    Path devicesDir;

    /** Every raw answer to a check-in, as the devices' transport received it. */
    private final ConcurrentLinkedQueue<DeviceResponse> checkinAnswers = new ConcurrentLinkedQueue<>();
    /** While set, check-ins wait in the transport until this many are ready, then all go at once. */
    private final AtomicReference<Burst> burst = new AtomicReference<>();

    /** Check-ins held back until {@code size} of them are waiting; {@code full} lets them go. */
    private record Burst(int size, AtomicInteger waiting, CompletableFuture<Void> full) {
        Burst(int size) {
            this(size, new AtomicInteger(), new CompletableFuture<>());
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        // -Dit.test=FleetUnderLoadIT selects it in every failsafe execution; it runs in it-crash only.
        assumeTrue(System.getProperty("ota.it.crash.data.dir") != null, "runs in the it-crash execution");
        Path dataDir = Path.of(System.getProperty("ota.it.crash.data.dir")).resolve("ota-fleet-load");
        ClusterServer.deleteRecursively(dataDir);
        server = ClusterServer.create(Path.of(System.getProperty("wlp.home")), "ota-fleet-load",
                Integer.parseInt(System.getProperty("ota.it.crash.http.port")),
                Integer.parseInt(System.getProperty("ota.it.crash.https.port")),
                Path.of(System.getProperty("ota.liberty.config.dir")), Path.of(System.getProperty("ota.it.jdbc.dir")),
                Path.of(System.getProperty("ota.ear.file")), Map.of(
                        "OTA_DATA_DIR", dataDir.toString(),
                        "OTA_CHECKIN_CONCURRENCY", "1",
                        // A check-in finding the place taken is turned away almost at once: with 200 ms, a server
                        // fast enough (or with too few request threads to hold many check-ins at the gate at
                        // once) let all of them through one after another, and the test depended on its speed.
                        "OTA_CHECKIN_GATE_WAIT_MILLIS", "10",
                        "OTA_CHECKIN_RETRY_AFTER_SECONDS", Long.toString(RETRY_AFTER_SECONDS)));
        Runtime.getRuntime().addShutdownHook(KILL_ON_EXIT);
        server.start();
        server.awaitReady(START_TIMEOUT);
        String oneTime = Files.readString(dataDir.resolve("initial-admin-password")).strip();
        ItAccounts.changeOneTimePassword(server.http, ItAccounts.ADMIN, oneTime, ItAccounts.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        ClusterServer.stop(server, KILL_ON_EXIT);
    }

    @Test
    void moreCheckinsAtOnceThanTheGateTakesAre503WithRetryAfterAndGetThroughOnRetry() throws Exception {
        // Arrange: devices whose every check-in carries many reports, so one check-in holds the gate's only
        // place long enough for the others to give up waiting (10 ms here).
        List<DeviceSession> devices = enroll("load", 24);
        int reportsEach = 250;
        for (DeviceSession d : devices) {
            for (int seq = 1; seq <= reportsEach; seq++) {
                d.journal().addReport(TestDevice.report("load-" + d.identity().deviceId(), seq, Report.State.DOWNLOADING));
            }
        }

        // Act: every device checks in at once, then again after each Retry-After until its reports are acknowledged.
        // The check-ins are held until all are signed: built and sent one by one, each took the test long enough
        // that a fast server answered it before the next arrived, and the gate turned none away.
        burst.set(new Burst(devices.size()));
        List<CompletableFuture<Answer<CheckinResponse>>> sent = devices.stream().map(FleetUnderLoadIT::checkin).toList();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        List<Answer<CheckinResponse>> first = sent.stream().map(CompletableFuture::join).toList();
        settle(devices);

        // Assert: the first wave was partly turned away with 503, Retry-After and server.busy, never anything else.
        long throttled = first.stream().filter(a -> a instanceof Answer.Throttled<?>).count();
        assertTrue(throttled > 0, "24 check-ins at once through a gate of 1 turned none away: " + first);
        first.forEach(a -> assertTrue(a instanceof Answer.Ok<?> || a instanceof Answer.Throttled<?>, a::toString));
        first.stream().filter(a -> a instanceof Answer.Throttled<?>).forEach(a -> assertEquals(
                Duration.ofSeconds(RETRY_AFTER_SECONDS), ((Answer.Throttled<?>) a).retryAfter()));
        for (DeviceResponse r : checkinAnswers) {
            assertTrue(r.status() == 200 || r.status() == 503, "status " + r.status());
            if (r.status() == 503) {
                assertEquals(Optional.of(Long.toString(RETRY_AFTER_SECONDS)), r.retryAfter());
                JsonObject body = (JsonObject) Json.parse(r.body().toArray(), "503 body");
                assertEquals("server.busy", ((JsonValue.JsonString) body.get("code")).value());
            }
        }
        for (DeviceSession d : devices) {
            assertEquals(List.of(), d.journal().unacked(), d.identity().deviceId());
            assertStoredOnce(d.identity().deviceId(), reportsEach);
        }
    }

    @Test
    void aServerKilledAndRestartedInABurstOfCheckinsLosesNoAcceptedReportAndStoresNoneTwice() throws Exception {
        // Arrange
        List<DeviceSession> devices = enroll("burst", 16);
        int reportsEach = 12;
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger unanswered = new AtomicInteger();

        // Act: each device, on a thread of its own, adds one report and checks in, reportsEach times, retrying
        // on Retry-After or a lost connection; meanwhile the server process is killed and started again.
        ExecutorService threads = Executors.newFixedThreadPool(devices.size());
        List<Future<?>> running = new ArrayList<>();
        try {
            for (DeviceSession d : devices) {
                running.add(threads.submit(() -> {
                    for (int seq = 1; seq <= reportsEach; seq++) {
                        d.journal().addReport(TestDevice.report("burst-" + d.identity().deviceId(), seq, Report.State.DOWNLOADING));
                        Answer<CheckinResponse> a = checkin(d).join();
                        if (a instanceof Answer.Ok<?>) {
                            accepted.incrementAndGet();
                        } else if (a instanceof Answer.Unavailable<?>) {
                            unanswered.incrementAndGet();
                        }
                        pause(a);
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (accepted.get() < devices.size() * 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            int acceptedBeforeKill = accepted.get();
            server.kill();
            server.awaitExit(Duration.ofSeconds(60));
            server.start();
            server.awaitReady(START_TIMEOUT);
            for (Future<?> f : running) {
                f.get(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            settle(devices);

            // Assert: the kill hit the burst (check-ins accepted before it, some lost with it), and afterwards every
            // device's reports are acknowledged and stored exactly once each.
            assertTrue(acceptedBeforeKill > 0, "no check-in was accepted before the kill");
            assertTrue(acceptedBeforeKill < devices.size() * reportsEach, "the burst was over before the kill");
            assertTrue(unanswered.get() > 0, "no check-in went unanswered: the kill missed the burst");
        } finally {
            threads.shutdownNow();
        }
        for (DeviceSession d : devices) {
            assertEquals(List.of(), d.journal().unacked(), d.identity().deviceId());
            assertStoredOnce(d.identity().deviceId(), reportsEach);
        }
    }

    /** {@code count} devices of the agent library, each with a folder of its own, enrolled and accepted. */
    private List<DeviceSession> enroll(String prefix, int count) {
        String[] admin = Http.basic(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);
        HttpResponse<byte[]> made = server.http.postJson("/portal/api/v1/enrollment-tokens", "{\"hardwareIds\":[\""
                + HARDWARE + "\"],\"maxUses\":" + count + ",\"validityHours\":1,\"autoAccept\":true}", admin);
        assertEquals(201, made.statusCode(), Http.text(made));
        String token = ((JsonValue.JsonString) json(made).get("token")).value();
        DeviceTransport transport = recording(HttpClientTransport.create(
                URI.create("http://127.0.0.1:" + server.httpPort), Duration.ofSeconds(30)));
        List<DeviceSession> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("%s-%03d", prefix, i);
            Path dir = devicesDir.resolve(id);
            DeviceSession d = new DeviceSession(DeviceIdentity.loadOrCreate(dir, id, HARDWARE), DeviceJournal.open(dir),
                    transport, Clock.systemUTC(), "fleet-under-load-it");
            Answer<EnrollmentResponse> enrolled = d.enroll(token).join();
            assertTrue(enrolled instanceof Answer.Ok<EnrollmentResponse> ok
                    && ok.value().status() == EnrollmentResponse.Status.ACCEPTED, id + ": " + enrolled);
            devices.add(d);
        }
        return devices;
    }

    /** Keeps a copy of every check-in answer before the device reads it; holds check-ins back during a burst. */
    private DeviceTransport recording(DeviceTransport transport) {
        return request -> {
            boolean checkin = request.path().endsWith("/checkins");
            CompletableFuture<Void> go = CompletableFuture.completedFuture(null);
            Burst b = burst.get();
            if (checkin && b != null) {
                go = b.full();
                if (b.waiting().incrementAndGet() == b.size()) {
                    burst.set(null);
                    b.full().complete(null);
                }
            }
            return go.thenCompose(x -> transport.send(request)).thenApply(r -> {
                if (checkin) checkinAnswers.add(r);
                return r;
            });
        };
    }

    /**
     * Checks every device in, one device at a time, until its journal holds no unacknowledged report, honouring
     * Retry-After; any refusal but 503 fails.
     */
    private static void settle(List<DeviceSession> devices) throws Exception {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        for (DeviceSession d : devices) {
            while (!d.journal().unacked().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, d.identity().deviceId() + " still has unacknowledged reports");
                Answer<CheckinResponse> a = checkin(d).get(60, TimeUnit.SECONDS);
                assertTrue(a instanceof Answer.Ok<?> || a instanceof Answer.Throttled<?> || a instanceof Answer.Unavailable<?>,
                        d.identity().deviceId() + ": " + a);
                pause(a);
            }
        }
    }

    private static CompletableFuture<Answer<CheckinResponse>> checkin(DeviceSession d) {
        String id = d.identity().deviceId();
        return d.checkin(Checkin.DeviceState.IDLE, Optional.empty(), Map.of(id, new Checkin.Ecu(HARDWARE, Optional.empty(), "")),
                OptionalLong.empty(), Optional.empty());
    }

    /** The agent's own back-off in short: Retry-After when given, a moment after a lost connection. */
    private static void pause(Answer<?> a) {
        try {
            if (a instanceof Answer.Throttled<?> t) {
                Thread.sleep(t.retryAfter().toMillis());
            } else if (a instanceof Answer.Unavailable<?>) {
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server holds seq 1 to {@code count} of the device's one action, each exactly once. */
    private static void assertStoredOnce(String deviceId, int count) {
        String[] admin = Http.basic(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);
        HttpResponse<byte[]> r = server.http.get("/portal/api/v1/devices/" + deviceId + "/reports?limit=500", admin);
        assertEquals(200, r.statusCode(), Http.text(r));
        List<JsonValue> stored = ((JsonValue.JsonArray) json(r).get("reports")).elements();
        TreeSet<Long> seqs = new TreeSet<>();
        for (JsonValue v : stored) {
            seqs.add(((JsonValue.JsonNumber) ((JsonObject) v).get("seq")).value().longValueExact());
        }
        assertEquals(count, stored.size(), deviceId + ": stored " + seqs);
        assertEquals(count, seqs.size(), deviceId + ": a report stored twice");
        assertEquals(1L, seqs.first());
        assertEquals((long) count, seqs.last());
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }
}
