package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.agent.device.RunConfig;
import dev.ota.agent.runtime.DeviceRunner;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rollouts followed by the reference agent ({@code ota-agent run}'s DeviceRunner, A/B slots, both shipped roots)
 * against the real server, in the server's virtual time (ServerClock; the agents read the same clock): maintenance
 * windows expanded by the server into the director targets and obeyed by the device, and a bad release that trips
 * the budget in the canary and is taken back by a rollback campaign. After every agent cycle the two invariants of
 * fleet.md are checked: a device runs only an image both repositories signed with the same fields (the image
 * repository's listing is compared with what the server shows it running), and no device's release counter goes
 * down.
 */
@ExtendWith(ArquillianExtension.class)
class RolloutAgentIT {
    private static final String API = "/portal/api/v1/rollouts";
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    /** A product line of its own: release counters only rise per hardware id. */
    private final String hardware = "lock-rag-" + run;
    private final Http http = new Http();
    private final ServerClock serverClock = new ServerClock();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    /** path -> release counter, as uploaded (and signed by the image repository). */
    private final Map<String, Long> signed = new HashMap<>();
    /** device -> the highest release counter it was seen running. */
    private final Map<String, Long> highest = new HashMap<>();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void aDeviceDownloadsAtOnceButInstallsOnlyInsideTheWindowOfItsOwnTimeZone() throws Exception {
        String[] admin = ItAccounts.admin(http);
        String path = "lock-fw/win-" + run + "-42.bin";
        upload(admin, path, 42, "firmware 42 HEALTHY " + run);
        Agent agent = agent(admin, "win-" + run);
        agent.runner().run(1);
        // The device lives in Tokyo; the window opens at a local time three hours from now and lasts an hour.
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        attributes(admin, agent.id(), Map.of("timeZone", tokyo.getId()));
        Instant now = serverClock.clock().instant();
        ZonedDateTime opens = now.plus(Duration.ofHours(3)).atZone(tokyo).truncatedTo(ChronoUnit.MINUTES);
        String window = "{\"rule\":\"FREQ=DAILY\",\"start\":\"" + opens.toLocalTime() + "\",\"durationMinutes\":60,"
                + "\"timeZone\":\"device\"}";

        String id = started(admin, path, "\"canary\":1,\"waves\":[100],\"soakMinutes\":0,\"successPct\":100,"
                + "\"windows\":[" + window + "]");
        cycles(admin, List.of(agent), 3);

        List<String> states = states(admin, agent.id());
        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "WAITING_WINDOW"), states,
                "downloaded at once, waiting for the window\n" + log());
        assertFalse(running(admin, agent.id()).has("filepath"), "nothing installed outside the window");
        JsonObject custom = directorCustom(agent, path);
        JsonValue first = ((JsonValue.JsonArray) custom.get("installWindows")).elements().get(0);
        Instant start = opens.toInstant();
        assertEquals(JsonValue.arr(List.of(JsonValue.of(start.toString()), JsonValue.of(start.plus(Duration.ofHours(1))
                .toString()))), first, "the server expanded the rule in the device's zone into UTC instants: "
                + CanonicalJson.encodeToString(custom));
        assertEquals(JsonValue.of("respect-busy"), custom.get("installPolicy"));

        serverClock.advance(Duration.between(now, start).plusMinutes(1));
        cycles(admin, List.of(agent), 3);

        assertEquals(JsonValue.of(path), running(admin, agent.id()).get("filepath"), log());
        assertTrue(states(admin, agent.id()).containsAll(List.of("INSTALLING", "TRIAL", "SUCCEEDED")),
                states(admin, agent.id()).toString());
        JsonObject done = until(admin, id, r -> string(r, "state").equals("COMPLETED"));
        assertEquals(1, number(waves(done).get(0), "succeeded"));
    }

    @Test
    void cancelGivesAWaitingDeviceAnEmptySignedAssignmentAndNothingIsInstalledWhenItsWindowOpens() throws Exception {
        String[] admin = ItAccounts.admin(http);
        String path = "lock-fw/cancel-" + run + "-42.bin";
        upload(admin, path, 42, "firmware 42 HEALTHY " + run);
        Agent agent = agent(admin, "cancel-" + run);
        agent.runner().run(1);
        Instant now = serverClock.clock().instant();
        Instant opens = now.plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
        String window = "{\"rule\":\"FREQ=DAILY\",\"start\":\"" + opens.atZone(ZoneOffset.UTC).toLocalTime()
                + "\",\"durationMinutes\":60,\"timeZone\":\"UTC\"}";
        String id = started(admin, path, "\"canary\":1,\"waves\":[100],\"windows\":[" + window + "]");
        cycles(admin, List.of(agent), 3);
        assertTrue(states(admin, agent.id()).contains("WAITING_WINDOW"), states(admin, agent.id()) + "\n" + log());

        assertEquals("CANCELED", string(json(ok(http.send("POST", API + "/" + id + "/cancel", admin))), "state"));
        cycles(admin, List.of(agent), 2);

        JsonObject targets = currentTargets(agent);
        assertEquals(0, ((JsonObject) targets.get("targets")).members().size(), "an empty signed assignment: "
                + CanonicalJson.encodeToString(targets));
        assertEquals(JsonValue.obj("deviceId", JsonValue.of(agent.id())), targets.get("custom"),
                "still signed for this device only");
        serverClock.advance(Duration.between(now, opens).plusMinutes(1));
        cycles(admin, List.of(agent), 2);
        assertFalse(running(admin, agent.id()).has("filepath"), "the withdrawn order was never installed\n" + log());
        assertFalse(states(admin, agent.id()).contains("INSTALLING"), states(admin, agent.id()).toString());
        assertTrue(ItAudit.has(http, e -> e.action().equals("assignment.cancel") && e.subject().equals(agent.id())
                && e.actor().equals("rollout:" + id)), "the withdrawal is audited under the rollout");
    }

    @Test
    void aBadReleaseTripsTheBudgetInTheCanaryAndARollbackCampaignTakesTheDeviceToTheReRelease() throws Exception {
        String[] admin = ItAccounts.admin(http);
        String bad = "lock-fw/bad-" + run + "-42.bin";
        String rollback = "lock-fw/rb-" + run + "-43.bin";
        upload(admin, bad, 42, "firmware 42 BROKEN " + run);
        upload(admin, rollback, 43, "firmware 41 again HEALTHY " + run);
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Agent a = agent(admin, "rb-" + run + "-" + i);
            a.runner().run(1);
            agents.add(a);
        }

        String id = started(admin, bad, "\"canary\":1,\"waves\":[100],\"errorBudget\":{\"minSample\":1,\"errorPct\":50,"
                + "\"maxFailed\":1},\"onTrip\":{\"rollback\":\"" + rollback + "\"}");
        cycles(admin, agents, 3);

        JsonObject halted = until(admin, id, r -> string(r, "state").equals("HALTED"));
        assertEquals(1, number(waves(halted).get(0), "failed"), "the canary rolled back by itself: a failure");
        assertEquals("PENDING", string(waves(halted).get(1), "state"), "no later wave started");
        Agent canary = null;
        for (Agent a : agents) {
            if (states(admin, a.id()).contains("ROLLED_BACK")) {
                canary = a;
            } else {
                assertEquals(List.of(), directorHistory(a, bad), a.id() + ": director metadata naming the bad release "
                        + "was never signed for a device outside the canary");
            }
        }
        assertTrue(canary != null, "one canary device installed and rolled back\n" + log());

        JsonObject campaign = until(admin, id + "-rb", r -> string(waves(r).get(1), "state").equals("ACTIVE"));
        assertEquals(rollback, string(campaign, "targetPath"));
        assertEquals(1, number(waves(campaign).get(1), "members"), "exactly the device that got the bad release");
        cycles(admin, agents, 4);

        JsonObject ecu = running(admin, canary.id());
        assertEquals(JsonValue.of(rollback), ecu.get("filepath"), log());
        assertEquals(43, number(ecu, "releaseCounter"));
        until(admin, id + "-rb", r -> string(r, "state").equals("COMPLETED"));
        for (Agent a : agents) {
            if (a != canary) {
                assertFalse(running(admin, a.id()).has("filepath"), a.id() + " was never ordered");
            }
        }
        assertTrue(ItAudit.has(http, e -> e.action().equals("rollout.rollback-started") && e.subject().equals(id + "-rb")));
    }

    /** A device run by the agent library, in the server's virtual time. */
    private record Agent(String id, DeviceRunner runner) {
    }

    private Agent agent(String[] admin, String deviceId) throws Exception {
        ProvisionedDevice provisioned = ProvisionedDevice.provision(http, admin, hardware, "rollout-agent-it-");
        Path dir = provisioned.dir();
        String base = ItImageRepository.base();
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, String.join("\n",
                "server.url=" + base, "device.id=" + deviceId, "hardware.id=" + hardware,
                "enrollment.token=" + provisioned.enrollmentToken(), "state.command=echo idle",
                "properties.file=device.properties", "data.dir=data", "state.dir=state", "slots.dir=slots",
                "director.root=director-root.json", "director.url=" + base, "image.root=image-root.json",
                "image.url=" + base, "health.command=grep -q HEALTHY image", "health.timeout-seconds=10",
                "boot.max-trial-boots=2", ""));
        // The cycles run back to back: the waits are not slept (the server's interval is minutes).
        DeviceRunner runner = DeviceRunner.of(RunConfig.load(config), new VirtualClock(serverClock), w -> { },
                new PrintStream(log, true, StandardCharsets.UTF_8));
        return new Agent(deviceId, runner);
    }

    /** Reads the server's shift at every reading, so the device's time moves when the test moves the server's. */
    private static final class VirtualClock extends Clock {
        private final ServerClock server;

        VirtualClock(ServerClock server) {
            this.server = server;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(server.shift());
        }
    }

    /**
     * {@code n} cycles of every agent; the rollout scheduler ticks every second of real time in ITs
     * (OTA_ROLLOUT_TICK_SECONDS), so a short pause between rounds lets it see the reports. After each round the invariants are checked.
     */
    private void cycles(String[] admin, List<Agent> agents, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            for (Agent a : agents) {
                a.runner().cycle();
                invariants(admin, a.id());
            }
            Thread.sleep(1500);
        }
    }

    /**
     * fleet.md's invariants, from what the server shows the device running: the image is one the image repository
     * lists now with the same length, hashes and release counter as uploaded, and its counter never went down.
     */
    private void invariants(String[] admin, String deviceId) {
        JsonObject ecu = running(admin, deviceId);
        if (!ecu.has("filepath")) {
            assertFalse(highest.containsKey(deviceId), deviceId + " ran a counted release and now runs none");
            return;
        }
        String path = ((JsonValue.JsonString) ecu.get("filepath")).value();
        long counter = number(ecu, "releaseCounter");
        assertEquals(signed.get(path), counter, deviceId + " runs " + path + ", which the image repository signed "
                + "with another counter (or not at all)");
        HttpResponse<byte[]> listed = http.get("/portal/api/v1/releases", admin);
        assertTrue(Http.text(listed).contains(path), "the image repository lists " + path);
        long before = highest.getOrDefault(deviceId, Long.MIN_VALUE);
        assertTrue(counter >= before, deviceId + "'s release counter went down from " + before + " to " + counter);
        highest.put(deviceId, counter);
    }

    private void upload(String[] admin, String path, long releaseCounter, String content) {
        String custom = URLEncoder.encode("{\"releaseCounter\":" + releaseCounter + "}", StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version="
                + releaseCounter + ".0&hardwareId=" + hardware + "&custom=" + custom,
                content.getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        signed.put(path, releaseCounter);
    }

    private void attributes(String[] admin, String deviceId, Map<String, String> attributes) {
        StringBuilder b = new StringBuilder("{\"attributes\":{");
        attributes.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '{' ? "" : ",").append('"').append(k)
                .append("\":\"").append(v).append('"'));
        HttpResponse<byte[]> r = http.sendBytes("PUT", "/portal/api/v1/devices/" + deviceId + "/attributes",
                "application/json", b.append("}}").toString().getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(200, r.statusCode(), Http.text(r));
    }

    /** A rollout over this test's hardware, created, submitted, approved by a second person and started. */
    private String started(String[] admin, String path, String fields) {
        String[] creator = account("rm-a-" + run + "-" + UUID.randomUUID().toString().substring(0, 4));
        String[] approver = account("rm-b-" + run + "-" + UUID.randomUUID().toString().substring(0, 4));
        HttpResponse<byte[]> created = http.postJson(API, "{\"name\":\"fw " + run + "\",\"targetPath\":\"" + path
                + "\",\"filter\":{\"hardwareId\":\"" + hardware + "\"}," + fields + "}", creator);
        assertEquals(201, created.statusCode(), Http.text(created));
        String id = string(json(created), "id");
        ok(http.send("POST", API + "/" + id + "/submit", creator));
        ok(http.send("POST", API + "/" + id + "/approve", approver));
        assertEquals("RUNNING", string(json(ok(http.send("POST", API + "/" + id + "/start", creator))), "state"));
        return id;
    }

    private String[] account(String user) {
        return Http.basic(user, ItAccounts.createWithPassword(http, user, "release-manager"));
    }

    /** The custom of {@code path} in the device's current director targets, fetched with its own token. */
    private JsonObject directorCustom(Agent agent, String path) {
        String token = agent.runner().session().currentToken().orElseThrow();
        JsonObject targets = signed(director(agent.id(), currentTargetsVersion(agent.id(), token) + ".targets.json",
                token));
        JsonObject target = (JsonObject) ((JsonObject) targets.get("targets")).get(path);
        assertTrue(target != null, "the director lists " + path + ": " + CanonicalJson.encodeToString(targets));
        return (JsonObject) target.get("custom");
    }

    /** The device's current director targets ({@code signed}), fetched with its own token. */
    private JsonObject currentTargets(Agent agent) {
        String token = agent.runner().session().currentToken().orElseThrow();
        return signed(director(agent.id(), currentTargetsVersion(agent.id(), token) + ".targets.json", token));
    }

    /** Every version of the device's director targets ever signed that lists {@code path}. */
    private List<Long> directorHistory(Agent agent, String path) {
        String token = agent.runner().session().currentToken().orElseThrow();
        List<Long> naming = new ArrayList<>();
        long current = currentTargetsVersion(agent.id(), token);
        for (long v = 1; v <= current; v++) {
            JsonObject targets = signed(director(agent.id(), v + ".targets.json", token));
            if (((JsonObject) targets.get("targets")).has(path)) {
                naming.add(v);
            }
        }
        return naming;
    }

    private long currentTargetsVersion(String deviceId, String token) {
        JsonObject ts = signed(director(deviceId, "timestamp.json", token));
        long snapshot = number((JsonObject) ((JsonObject) ts.get("meta")).get("snapshot.json"), "version");
        JsonObject sn = signed(director(deviceId, snapshot + ".snapshot.json", token));
        return number((JsonObject) ((JsonObject) sn.get("meta")).get("targets.json"), "version");
    }

    private HttpResponse<byte[]> director(String deviceId, String file, String token) {
        HttpResponse<byte[]> r = http.get("/director/" + deviceId + "/metadata/" + file, "Authorization",
                "Bearer " + token);
        assertEquals(200, r.statusCode(), file + ": " + Http.text(r));
        return r;
    }

    /** The device's primary ECU's installed image as the server shows it; empty when it runs none. */
    private JsonObject running(String[] admin, String deviceId) {
        JsonObject device = json(ok(http.get("/portal/api/v1/devices/" + deviceId, admin)));
        JsonValue ecus = device.get("ecus");
        JsonValue ecu = ecus instanceof JsonObject o ? o.get(deviceId) : null;
        JsonValue installed = ecu instanceof JsonObject e ? e.get("installed") : null;
        return installed instanceof JsonObject i ? i : new JsonObject(new LinkedHashMap<>());
    }

    /** The device's reported states of its newest action, in sequence order. */
    private List<String> states(String[] admin, String deviceId) {
        JsonObject device = json(ok(http.get("/portal/api/v1/devices/" + deviceId, admin)));
        List<JsonObject> reports = new ArrayList<>();
        for (JsonValue v : ((JsonValue.JsonArray) device.get("reports")).elements()) {
            reports.add((JsonObject) v);
        }
        reports.sort(java.util.Comparator.comparing((JsonObject r) -> string(r, "at"))
                .thenComparing(r -> ((JsonValue.JsonNumber) r.get("seq")).value()));
        return reports.stream().map(r -> string(r, "state")).toList();
    }

    /** The rollout once {@code done} holds; the scheduler decides every few seconds of real time. */
    private JsonObject until(String[] admin, String id, Predicate<JsonObject> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        HttpResponse<byte[]> r = http.get(API + "/" + id, admin);
        while (r.statusCode() != 200 || !done.test(json(r))) {
            assertTrue(System.nanoTime() < deadline, "the scheduler did not get there: " + Http.text(r) + "\n" + log());
            Thread.sleep(500);
            r = http.get(API + "/" + id, admin);
        }
        return json(r);
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), Http.text(r));
        return r;
    }

    private static JsonObject signed(HttpResponse<byte[]> r) {
        return (JsonObject) json(r).get("signed");
    }

    private static List<JsonObject> waves(JsonObject rollout) {
        return ((JsonValue.JsonArray) rollout.get("waves")).elements().stream().map(v -> (JsonObject) v).toList();
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    private static String string(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof JsonValue.JsonString s ? s.value() : null;
    }

    private static long number(JsonObject o, String name) {
        return ((JsonValue.JsonNumber) o.get(name)).value().longValueExact();
    }
}
