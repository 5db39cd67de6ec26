package dev.ota.it;

import dev.ota.agent.device.DeviceProperties;
import dev.ota.agent.device.RunConfig;
import dev.ota.agent.runtime.DeviceRunner;
import dev.ota.protocol.Envelope;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Targets;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The desired configuration through the director (issue 12, item 5; device-api.md: a director target {@code
 * config/{deviceId}.json}) with the reference agent against the real server: an operator sets properties through the
 * management API, the director signs them next to the device's order, the device verifies and applies them and backs
 * the result up as a new version signed with its own key. Bytes a man in the middle ({@link ItProxy}) rewrites are
 * refused as an attack; a cleared configuration leaves the device's properties alone. Bad input is refused with the
 * error catalogue's JSON and audited.
 */
@ExtendWith(ArquillianExtension.class)
class DesiredConfigIT {
    private static final String SERVER = "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180");
    private static ItProxy proxy;
    /** A product line of this class's own: release counters only rise per hardware id. */
    private final String hardware = "lock-dc-" + UUID.randomUUID().toString().substring(0, 8);
    private final Http http = new Http();
    private final List<Duration> waits = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @AfterEach
    void honestProxy() {
        if (proxy != null) proxy.hook = ItProxy.PASS;
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) proxy.close();
    }

    @Test
    void anOperatorsDesiredConfigurationIsAppliedNextToAnOrderAndBackedUpAsANewVersionSignedByTheDevice() throws Exception {
        String[] admin = ItAccounts.admin(http);
        Device d = device(admin);
        d.runner.run(1);
        long before = newestConfigVersion(admin, d.id);
        String path = "lock-fw/dc-" + d.id + ".bin";
        upload(admin, path, 7, "firmware 7 " + d.id);
        assertEquals(201, http.postJson("/portal/api/v1/assignments", "{\"deviceId\":\"" + d.id + "\",\"targetPath\":\""
                + path + "\"}", admin).statusCode());

        JsonObject set = json(setDesired(admin, d.id, "{\"properties\":{\"name\":\"front door\",\"wifi.ssid\":\"lobby\"}}"), 200);
        d.runner.run(3);

        assertEquals(JsonValue.of("config/" + d.id + ".json"), set.get("targetPath"));
        Map<String, String> local = d.properties();
        assertEquals("front door", local.get("name"), d.log());
        assertEquals("lobby", local.get("wifi.ssid"));
        assertEquals(d.id, local.get("device.id"), "what the configuration does not name is kept");
        JsonObject installed = (JsonObject) ((JsonObject) ((JsonObject) shown(admin, d.id).get("ecus")).get(d.id)).get("installed");
        assertEquals(JsonValue.of(path), installed.get("filepath"), "the order was followed too: " + d.log());
        // The server's twin: a new version, whose properties are the applied ones, signed with the device's own key.
        long after = newestConfigVersion(admin, d.id);
        assertTrue(after > before, "a version above " + before + ": " + after);
        JsonObject kept = json(http.get("/portal/api/v1/devices/" + d.id + "/configs/" + after, admin), 200);
        // The twin shows each property as its canonical JSON.
        assertEquals(JsonValue.of("\"front door\""), ((JsonObject) kept.get("properties")).get("name"));
        HttpResponse<byte[]> held = http.get("/devices/v1/" + d.id + "/config",
                Http.bearer(d.runner.session().currentToken().orElseThrow()));
        assertEquals(200, held.statusCode(), Http.text(held));
        assertTrue(d.runner.session().identity().signed(Envelope.parse(held.body())), "signed by the device");
        assertTrue(ItAudit.has(http, "desired-config.set", e -> e.subject().equals(d.id)
                && e.outcome().equals("SUCCESS") && e.detail().contains(((JsonValue.JsonString) set.get("sha256")).value())));
    }

    @Test
    void desiredConfigurationBytesRewrittenOnTheWayAreNotAppliedAndReportedAsAnAttack() throws Exception {
        String[] admin = ItAccounts.admin(http);
        Device d = device(admin);
        d.runner.run(1);
        proxy.hook = (request, forward) -> {
            ItProxy.Answer a = forward.apply(request);
            if (!request.path().startsWith("/director/" + d.id + "/targets/config/") || a.status() != 200) return a;
            byte[] b = a.body().clone();
            b[b.length / 2] ^= 0x01;
            return a.withBody(b);
        };

        json(setDesired(admin, d.id, "{\"properties\":{\"name\":\"front door\"}}"), 200);
        d.runner.run(2);

        assertEquals(null, d.properties().get("name"), "nothing of the altered bytes is applied: " + d.log());
        List<String> refused = new ArrayList<>();
        for (JsonValue v : ((JsonValue.JsonArray) shown(admin, d.id).get("reports")).elements()) {
            JsonObject r = (JsonObject) v;
            if (r.get("state").equals(JsonValue.of("REFUSED"))) refused.add(((JsonValue.JsonString) r.get("detail")).value());
        }
        assertEquals(1, refused.size(), "reported once: " + refused + "\n" + d.log());
        assertTrue(refused.get(0).startsWith("attack: config/" + d.id + ".json rejected on download: "), refused.get(0));

        // Act: the man in the middle gone, the operator sets the same properties again.
        proxy.hook = ItProxy.PASS;
        long before = ((JsonValue.JsonNumber) shownDesired(admin, d.id).get("timestampVersion")).value().longValueExact();
        JsonObject again = json(setDesired(admin, d.id, "{\"properties\":{\"name\":\"front door\"}}"), 200);
        d.runner.run(1);

        // Assert: signed anew (the device fetches only what a new director version lists), fetched and applied.
        long after = ((JsonValue.JsonNumber) again.get("timestampVersion")).value().longValueExact();
        assertTrue(after > before, "re-signed: " + before + " -> " + after);
        assertEquals("front door", d.properties().get("name"), d.log());
    }

    private JsonObject shownDesired(String[] admin, String deviceId) {
        return json(http.get("/portal/api/v1/devices/" + deviceId + "/desired-config", admin), 200);
    }

    @Test
    void clearingTheDesiredConfigurationTakesTheTargetAwayAndLeavesThePropertiesAsTheyAre() throws Exception {
        String[] admin = ItAccounts.admin(http);
        Device d = device(admin);
        d.runner.run(1);
        json(setDesired(admin, d.id, "{\"properties\":{\"name\":\"front door\"}}"), 200);
        d.runner.run(1);
        assertEquals("front door", d.properties().get("name"), d.log());

        HttpResponse<byte[]> cleared = http.send("DELETE", "/portal/api/v1/devices/" + d.id + "/desired-config", admin);
        JsonObject view = json(cleared, 200);
        d.runner.run(1);

        assertTrue(view.get("targetPath") == null || view.get("targetPath") == JsonValue.JsonNull.INSTANCE, "cleared: " + view);
        Targets trusted = Signed.parse(Files.readAllBytes(d.dir.resolve("data/director/targets.json")), Targets.class,
                "the device's trusted director targets").signed();
        assertFalse(trusted.targets().containsKey("config/" + d.id + ".json"), "no longer listed: " + trusted.targets().keySet());
        HttpResponse<byte[]> file = http.get("/director/" + d.id + "/targets/config/" + d.id + ".json",
                Http.bearer(d.runner.session().currentToken().orElseThrow()));
        assertEquals(404, file.statusCode(), "no longer served: " + Http.text(file));
        assertEquals("front door", d.properties().get("name"), "the device keeps what it has");
        assertEquals("desired-config.none", code(http.get("/portal/api/v1/devices/" + d.id + "/desired-config", admin), 404));
    }

    @Test
    void badDesiredConfigurationsAreRefusedWithJsonErrorsChangeNothingAndAreAudited() throws Exception {
        String[] admin = ItAccounts.admin(http);
        Device d = device(admin);
        d.runner.run(1);
        StringBuilder big = new StringBuilder("{\"properties\":{");
        for (int i = 0; i < 20; i++) big.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":\"").append("x".repeat(1000)).append('"');
        big.append("}}");
        String auditor = "dc-auditor-" + UUID.randomUUID().toString().substring(0, 8);
        String[] auditorCredentials = Http.basic(auditor, ItAccounts.createWithPassword(http, auditor, "auditor"));

        assertEquals("request.malformed", code(setDesired(admin, d.id, "{\"properties\":\"name=front door\"}"), 400));
        assertEquals("request.malformed", code(setDesired(admin, d.id, "[\"name\"]"), 400));
        assertEquals("desired-config.invalid", code(setDesired(admin, d.id, "{}"), 400));
        assertEquals("desired-config.invalid", code(setDesired(admin, d.id, "{\"properties\":{\"bad name\":\"v\"}}"), 400));
        assertEquals("desired-config.invalid", code(setDesired(admin, d.id, "{\"properties\":{\"format\":\"2\"}}"), 400));
        assertEquals("desired-config.invalid", code(setDesired(admin, d.id, "{\"properties\":{\"n\":5}}"), 400));
        assertEquals("desired-config.too-large", code(setDesired(admin, d.id, big.toString()), 413));
        assertEquals("auth.forbidden", code(setDesired(auditorCredentials, d.id, "{\"properties\":{\"name\":\"x\"}}"), 403));
        assertEquals("device.not-found", code(setDesired(admin, "no-such-" + d.id, "{\"properties\":{\"name\":\"x\"}}"), 404));

        assertEquals("desired-config.none", code(http.get("/portal/api/v1/devices/" + d.id + "/desired-config", admin), 404));
        assertTrue(ItAudit.has(http, "desired-config.set", e -> e.subject().equals(d.id)
                && e.outcome().equals("DENIED") && e.detail().startsWith("desired-config.invalid: property name 'bad name'")));
        assertTrue(ItAudit.has(http, "desired-config.set", e -> e.subject().equals(d.id)
                && e.outcome().equals("DENIED") && e.detail().startsWith("desired-config.too-large")));
    }

    // ---- the device and its world ----

    private final class Device {
        final String id;
        final Path dir;
        final DeviceRunner runner;

        Device(String id, Path dir, DeviceRunner runner) {
            this.id = id;
            this.dir = dir;
            this.runner = runner;
        }

        Map<String, String> properties() {
            return DeviceProperties.at(dir.resolve("device.properties")).read();
        }

        String log() {
            return DesiredConfigIT.this.log.toString(StandardCharsets.UTF_8);
        }
    }

    /** An enrolled-to-be device whose director and image requests go through the proxy; check-ins go to the server. */
    private Device device(String[] admin) throws Exception {
        synchronized (DesiredConfigIT.class) {
            if (proxy == null) proxy = new ItProxy(SERVER);
        }
        String id = "dc-" + UUID.randomUUID().toString().substring(0, 8);
        ProvisionedDevice provisioned = ProvisionedDevice.provision(http, admin, hardware, "desired-config-it-");
        Path dir = provisioned.dir();
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, String.join("\n",
                "server.url=" + SERVER, "device.id=" + id, "hardware.id=" + hardware, "enrollment.token=" + provisioned.enrollmentToken(),
                "state.command=echo idle", "properties.file=device.properties", "data.dir=data",
                "state.dir=state", "slots.dir=slots", "director.root=director-root.json", "director.url=" + proxy.base(),
                "image.root=image-root.json", "image.url=" + proxy.base(),
                "health.command=true", "health.timeout-seconds=10", "boot.max-trial-boots=2", ""));
        // The cycles run back to back: the waits are recorded, not slept (the server's interval is minutes).
        DeviceRunner runner = DeviceRunner.of(RunConfig.load(config), Clock.systemUTC(), waits::add,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        return new Device(id, dir, runner);
    }

    private HttpResponse<byte[]> setDesired(String[] credentials, String deviceId, String body) {
        return http.sendBytes("PUT", "/portal/api/v1/devices/" + deviceId + "/desired-config", "application/json",
                body.getBytes(StandardCharsets.UTF_8), credentials);
    }

    private void upload(String[] admin, String path, long releaseCounter, String content) {
        String custom = URLEncoder.encode("{\"releaseCounter\":" + releaseCounter + "}", StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=" + releaseCounter
                + ".0&hardwareId=" + hardware + "&custom=" + custom, content.getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(201, r.statusCode(), Http.text(r));
    }

    private long newestConfigVersion(String[] admin, String deviceId) {
        JsonObject list = json(http.get("/portal/api/v1/devices/" + deviceId + "/configs", admin), 200);
        List<JsonValue> versions = ((JsonValue.JsonArray) list.get("versions")).elements();
        assertFalse(versions.isEmpty(), "the device backed its properties up: " + CanonicalJson.encodeToString(list));
        return ((JsonValue.JsonNumber) ((JsonObject) versions.get(0)).get("version")).value().longValueExact();
    }

    private JsonObject shown(String[] admin, String deviceId) {
        return json(http.get("/portal/api/v1/devices/" + deviceId, admin), 200);
    }

    private static JsonObject json(HttpResponse<byte[]> r, int status) {
        assertEquals(status, r.statusCode(), Http.text(r));
        return (JsonObject) Json.parse(r.body(), "response");
    }

    /** The error code of a refusal with {@code status}, whose body is the catalogue's {@code {code, message}}. */
    private static String code(HttpResponse<byte[]> r, int status) {
        JsonObject error = json(r, status);
        assertTrue(error.get("message") instanceof JsonValue.JsonString m && !m.value().isBlank(), Http.text(r));
        return ((JsonValue.JsonString) error.get("code")).value();
    }
}
