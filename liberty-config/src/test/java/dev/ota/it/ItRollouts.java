package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.protocol.Report;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Rollout scenarios followed by agents ({@link ItAgent}) on one server, in its virtual time: a product line of the
 * scenario's own (release counters only rise per hardware id), releases uploaded through the management API, rollouts
 * made by one release manager and approved by another, agent cycles with {@link FleetInvariants} checked after each
 * device's cycle, and the server's view of rollouts and devices.
 */
final class ItRollouts {
    static final String API = "/portal/api/v1/rollouts";
    /**
     * The rollout scheduler decides every second of real time in the ITs (OTA_ROLLOUT_TICK_SECONDS in
     * liberty-config's pom); a round of cycles leaves it one tick and a half.
     */
    private static final long TICK_MILLIS = 1500;
    /** Between rounds that wait for progress: the agents' reports reach the server at once, the scheduler ticks later. */
    private static final long ROUND_PAUSE_MILLIS = 300;

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String hardware;
    Http http;
    String base;
    final ServerClock clock;
    final String[] admin;
    final FleetInvariants invariants;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    ItRollouts(Http http, String base, ServerClock clock, String product) {
        this.http = http;
        this.base = base;
        this.clock = clock;
        this.hardware = product + "-" + run;
        this.admin = ItAccounts.admin(http);
        this.invariants = new FleetInvariants(http, base, hardware, clock);
    }

    /**
     * From now on the scenario, and the agents given, talk to another server of the same database (a restarted one
     * or one taking over), as a load balancer would send them.
     */
    void serveFrom(Http next, String nextBase, List<ItAgent> agents) throws Exception {
        this.http = next;
        this.base = nextBase;
        invariants.serveFrom(next, nextBase);
        for (ItAgent a : agents) {
            a.serveFrom(nextBase, clock, new PrintStream(log, true, StandardCharsets.UTF_8));
        }
    }

    /** The agent restarted with {@code settings} changed in its configuration ({@link ItAgent#reconfigure}). */
    void reconfigure(ItAgent agent, Map<String, String> settings) throws Exception {
        agent.reconfigure(settings, clock, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    /** A new agent process over the device's folder, as after the old one died ({@link ItAgent#restart}). */
    void restart(ItAgent agent) {
        agent.restart(clock, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    /** The execution's own IT server. */
    static ItRollouts onItServer(String product) {
        return new ItRollouts(new Http(), ItImageRepository.base(), new ServerClock(), product);
    }

    /** A provisioned agent of this product line, run once (enrolled and checked in). */
    ItAgent agent(String name) throws Exception {
        ItAgent agent = ItAgent.provision(http, base, admin, hardware, name + "-" + run, clock,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        agent.runner().run(1);
        return agent;
    }

    List<ItAgent> agents(String name, int n) throws Exception {
        List<ItAgent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(agent(name + "-" + i));
        }
        return out;
    }

    /** Uploads {@code content} as release {@code path} of this product line with its release counter. */
    void upload(String path, long releaseCounter, String content) {
        upload(path, releaseCounter, content, hardware);
    }

    /** Uploads {@code content} as release {@code path} for {@code hardwareId} with its release counter. */
    void upload(String path, long releaseCounter, String content, String hardwareId) {
        String custom = URLEncoder.encode("{\"releaseCounter\":" + releaseCounter + "}", StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version="
                + releaseCounter + ".0&hardwareId=" + hardwareId + "&custom=" + custom,
                content.getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(201, r.statusCode(), Http.text(r));
    }

    /** Sets one attribute of the device (e.g. its timeZone) as an administrator does. */
    void attributes(String deviceId, String name, String value) {
        HttpResponse<byte[]> r = http.sendBytes("PUT", "/portal/api/v1/devices/" + deviceId + "/attributes",
                "application/json", ("{\"attributes\":{\"" + name + "\":\"" + value + "\"}}")
                        .getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(200, r.statusCode(), Http.text(r));
    }

    /** A rollout over this product line, created, submitted, approved by a second person and started. */
    String started(String path, String fields) {
        String[] creator = releaseManager("rm-a");
        String[] approver = releaseManager("rm-b");
        HttpResponse<byte[]> created = http.postJson(API, "{\"name\":\"fw " + run + "\",\"targetPath\":\"" + path
                + "\",\"filter\":{\"hardwareId\":\"" + hardware + "\"}," + fields + "}", creator);
        assertEquals(201, created.statusCode(), Http.text(created));
        String id = string(json(created), "id");
        ok(http.send("POST", API + "/" + id + "/submit", creator));
        ok(http.send("POST", API + "/" + id + "/approve", approver));
        assertEquals("RUNNING", string(command(id, "start"), "state"));
        return id;
    }

    /** An operator's command on a rollout (pause, resume, cancel...); the rollout after it. */
    JsonObject command(String id, String command) {
        return json(ok(http.send("POST", API + "/" + id + "/" + command, admin)));
    }

    private String[] releaseManager(String prefix) {
        String user = prefix + "-" + run + "-" + UUID.randomUUID().toString().substring(0, 4);
        return Http.basic(user, ItAccounts.createWithPassword(http, user, "release-manager"));
    }

    /**
     * {@code n} rounds of one cycle of every agent, the invariants checked after each device's cycle; after each
     * round the scheduler gets a tick to see the reports. For checks that nothing happens (a tick must have passed).
     */
    void cycles(List<ItAgent> agents, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            round(agents);
            Thread.sleep(TICK_MILLIS);
        }
    }

    /**
     * Rounds of one cycle of every agent (invariants checked after each) until {@code done} holds, at most a minute
     * and a half of real time: an agent takes an order one step further per cycle, and the scheduler decides on the
     * reports every few seconds, so this goes as fast as both allow.
     */
    void cyclesUntil(List<ItAgent> agents, String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not reached: " + what + "\n" + log());
            round(agents);
            Thread.sleep(ROUND_PAUSE_MILLIS);
        }
    }

    /** {@link #cyclesUntil} the rollout shows {@code done}; the rollout then. */
    JsonObject cyclesUntil(List<ItAgent> agents, String id, Predicate<JsonObject> done) throws InterruptedException {
        cyclesUntil(agents, "rollout " + id, () -> done.test(rollout(id)));
        return rollout(id);
    }

    private void round(List<ItAgent> agents) {
        for (ItAgent a : agents) {
            a.runner().cycle();
            invariants.check(a);
        }
    }

    /**
     * One cycle of every agent while no server answers (check-ins fail, reports stay in the journals). The invariants
     * are not checked here (their repositories are that server's); the slots persist, so the next checked cycle
     * sees anything installed meanwhile.
     */
    void cyclesWithoutServer(List<ItAgent> agents) {
        for (ItAgent a : agents) {
            a.runner().cycle();
        }
    }

    /**
     * After a jump of the server's time by days: waits (at most two minutes of real time) until the server's refresh
     * job has re-signed the image repository's timestamp and snapshot, so agents and the invariants' TUF client do
     * not see metadata that only the jump made expired.
     */
    void awaitFreshImageMetadata() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            Instant soon = clock.clock().instant().plus(Duration.ofHours(1));
            JsonObject ts = (JsonObject) json(ok(http.get("/metadata/timestamp.json"))).get("signed");
            long snapshotVersion = number((JsonObject) ((JsonObject) ts.get("meta")).get("snapshot.json"), "version");
            JsonObject sn = (JsonObject) json(ok(http.get("/metadata/" + snapshotVersion + ".snapshot.json")))
                    .get("signed");
            if (Instant.parse(string(ts, "expires")).isAfter(soon) && Instant.parse(string(sn, "expires")).isAfter(soon)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the image repository was not re-signed after the time moved");
            Thread.sleep(1000);
        }
    }

    /** The image paths the device's current director targets order (as the invariants' client last read them). */
    List<String> ordered(ItAgent device) {
        JsonObject targets = invariants.directorHistory(device).lastEntry().getValue();
        return List.copyOf(((JsonObject) targets.get("targets")).members().keySet());
    }

    JsonObject rollout(String id) {
        return json(ok(http.get(API + "/" + id, admin)));
    }

    /** The rollout once {@code done} holds; the scheduler decides every few seconds of real time. */
    JsonObject until(String id, Predicate<JsonObject> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        HttpResponse<byte[]> r = http.get(API + "/" + id, admin);
        while (r.statusCode() != 200 || !done.test(json(r))) {
            assertTrue(System.nanoTime() < deadline, "the scheduler did not get there: " + Http.text(r) + "\n" + log());
            Thread.sleep(500);
            r = http.get(API + "/" + id, admin);
        }
        return json(r);
    }

    /** The device's primary ECU's installed image as the server shows it; empty when it runs none. */
    JsonObject running(String deviceId) {
        JsonObject device = json(ok(http.get("/portal/api/v1/devices/" + deviceId, admin)));
        JsonValue ecus = device.get("ecus");
        JsonValue ecu = ecus instanceof JsonObject o ? o.get(deviceId) : null;
        JsonValue installed = ecu instanceof JsonObject e ? e.get("installed") : null;
        return installed instanceof JsonObject i ? i : new JsonObject(new LinkedHashMap<>());
    }

    /** The reports the server stored for the device, in time and sequence order. */
    List<Report> reports(String deviceId) {
        JsonObject device = json(ok(http.get("/portal/api/v1/devices/" + deviceId, admin)));
        List<Report> reports = new ArrayList<>();
        for (JsonValue v : ((JsonValue.JsonArray) device.get("reports")).elements()) {
            JsonObject r = (JsonObject) v;
            reports.add(new Report(string(r, "actionId"), number(r, "seq"), Report.State.valueOf(string(r, "state")),
                    Instant.parse(string(r, "at")), r.get("detail") instanceof JsonValue.JsonString d
                    ? d.value() : ""));
        }
        reports.sort(Comparator.comparing(Report::at).thenComparing(Report::seq));
        return reports;
    }

    /** The states the device reported, in time and sequence order. */
    List<String> states(String deviceId) {
        return reports(deviceId).stream().map(r -> r.state().name()).toList();
    }

    /**
     * The device journal's reports and the server's, as (actionId, seq) -> state: equal when every report the device
     * made reached the server once and the server holds none the device did not make.
     */
    static Map<String, String> byActionAndSeq(List<Report> reports) {
        Map<String, String> out = new TreeMap<>();
        for (Report r : reports) {
            String previous = out.put(r.actionId() + "#" + r.seq(), r.state().name());
            assertTrue(previous == null || previous.equals(r.state().name()), "two states under " + r.actionId()
                    + "#" + r.seq());
        }
        return out;
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), Http.text(r));
        return r;
    }

    static List<JsonObject> waves(JsonObject rollout) {
        return ((JsonValue.JsonArray) rollout.get("waves")).elements().stream().map(v -> (JsonObject) v).toList();
    }

    static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    static String string(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof JsonValue.JsonString s ? s.value() : null;
    }

    static long number(JsonObject o, String name) {
        return ((JsonValue.JsonNumber) o.get(name)).value().longValueExact();
    }
}
