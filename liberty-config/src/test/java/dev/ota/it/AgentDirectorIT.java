package dev.ota.it;

import dev.ota.agent.device.RunConfig;
import dev.ota.agent.runtime.DeviceRunner;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
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
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference agent following its director against the real server ({@code ota-agent run}, issue 12): enrolled
 * with A/B slots and the two shipped roots, it gets a release assigned through the management API, sees the new
 * director timestamp in a check-in answer, verifies the order against both repositories, installs it A/B and
 * reports every step; the server shows the committed image and the report history. A release whose health check
 * fails is rolled back by the device itself and reported ROLLED_BACK.
 */
@ExtendWith(ArquillianExtension.class)
class AgentDirectorIT {
    /** A product line per test: release counters only rise per hardware id, and other ITs upload on this server too. */
    private final String hardware = "lock-ad-" + UUID.randomUUID().toString().substring(0, 8);
    private final Http http = new Http();
    private final List<Duration> waits = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void theDeviceInstallsAnAssignedReleaseAndTheServerShowsItCommittedWithItsReports() throws Exception {
        String[] admin = ItAccounts.admin(http);
        Followed f = followed(admin, 42, "HEALTHY");
        String deviceId = f.deviceId();
        String path = f.path();

        String actionId = assign(admin, deviceId, path);
        f.device().run(3);

        JsonObject shown = shown(admin, deviceId);
        JsonObject installed = (JsonObject) ((JsonObject) ((JsonObject) shown.get("ecus")).get(deviceId)).get("installed");
        assertEquals(JsonValue.of(path), installed.get("filepath"), CanonicalJson.encodeToString(shown));
        assertEquals(JsonValue.of(42), installed.get("releaseCounter"));
        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "TRIAL", "SUCCEEDED"), states(shown, actionId),
                CanonicalJson.encodeToString(shown) + "\n" + log());
    }

    @Test
    void aReleaseFailingItsHealthCheckIsRolledBackByTheDeviceAndReportedRolledBack() throws Exception {
        String[] admin = ItAccounts.admin(http);
        Followed f = followed(admin, 43, "BROKEN");
        String deviceId = f.deviceId();

        String actionId = assign(admin, deviceId, f.path());
        f.device().run(3);

        JsonObject shown = shown(admin, deviceId);
        JsonObject ecu = (JsonObject) ((JsonObject) shown.get("ecus")).get(deviceId);
        assertTrue(ecu.get("installed") == null || ecu.get("installed") == JsonValue.JsonNull.INSTANCE,
                "the device still runs what it ran before: " + CanonicalJson.encodeToString(shown));
        List<String> states = states(shown, actionId);
        assertEquals(List.of("ASSIGNED", "DOWNLOADING", "DOWNLOADED", "INSTALLING", "TRIAL", "ROLLED_BACK"), states,
                CanonicalJson.encodeToString(shown) + "\n" + log());
        assertTrue(Http.text(http.get("/portal/api/v1/devices/" + deviceId, admin)).contains("health: health check exited with status 1"),
                "the rollback says why");
    }

    private record Followed(String deviceId, String path, DeviceRunner device) {
    }

    /**
     * A release with {@code releaseCounter} whose image holds {@code health} (the health check looks for HEALTHY), and
     * a device that enrolled and checked in once, before anything was assigned to it.
     */
    private Followed followed(String[] admin, long releaseCounter, String health) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String path = "lock-fw/follow-" + run + "-" + releaseCounter + ".bin";
        upload(admin, path, releaseCounter, "firmware " + releaseCounter + " " + health + " " + run);
        String deviceId = "follow-" + run;
        DeviceRunner device = device(admin, deviceId);
        device.run(1);
        return new Followed(deviceId, path, device);
    }

    /** An enrolled device with A/B slots, both shipped roots, and the director and image URLs pointing at the server. */
    private DeviceRunner device(String[] admin, String deviceId) throws Exception {
        ProvisionedDevice provisioned = ProvisionedDevice.provision(http, admin, hardware, "agent-director-it-");
        Path dir = provisioned.dir();
        String token = provisioned.enrollmentToken();
        String base = "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180");
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, String.join("\n",
                "server.url=" + base, "device.id=" + deviceId, "hardware.id=" + hardware, "enrollment.token=" + token,
                "state.command=echo idle", "properties.file=device.properties", "data.dir=data",
                "state.dir=state", "slots.dir=slots", "director.root=director-root.json", "director.url=" + base,
                "image.root=image-root.json", "image.url=" + base,
                "health.command=grep -q HEALTHY image", "health.timeout-seconds=10", "boot.max-trial-boots=2", ""));
        // The cycles run back to back: the waits are recorded, not slept (the server's interval is minutes).
        return DeviceRunner.of(RunConfig.load(config), Clock.systemUTC(), waits::add, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private void upload(String[] admin, String path, long releaseCounter, String content) {
        String custom = URLEncoder.encode("{\"releaseCounter\":" + releaseCounter + "}", StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=" + releaseCounter + ".0"
                + "&hardwareId=" + hardware + "&custom=" + custom, content.getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(201, r.statusCode(), Http.text(r));
    }

    private String assign(String[] admin, String deviceId, String path) {
        HttpResponse<byte[]> r = http.postJson("/portal/api/v1/assignments",
                "{\"deviceId\":\"" + deviceId + "\",\"targetPath\":\"" + path + "\"}", admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        JsonObject order = (JsonObject) ((JsonValue.JsonArray) json(r).get("assignments")).elements().get(0);
        return ((JsonValue.JsonString) order.get("actionId")).value();
    }

    private JsonObject shown(String[] admin, String deviceId) {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/devices/" + deviceId, admin);
        assertEquals(200, r.statusCode(), Http.text(r));
        return json(r);
    }

    /** The action's reported states in sequence order, as the server stored them. */
    private static List<String> states(JsonObject device, String actionId) {
        List<JsonObject> reports = new ArrayList<>();
        for (JsonValue v : ((JsonValue.JsonArray) device.get("reports")).elements()) {
            JsonObject r = (JsonObject) v;
            if (r.get("actionId").equals(JsonValue.of(actionId))) reports.add(r);
        }
        reports.sort(java.util.Comparator.comparing(r -> ((JsonValue.JsonNumber) r.get("seq")).value()));
        return reports.stream().map(r -> ((JsonValue.JsonString) r.get("state")).value()).toList();
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }
}
