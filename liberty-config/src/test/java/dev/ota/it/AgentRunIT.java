package dev.ota.it;

import dev.ota.agent.device.DeviceProperties;
import dev.ota.agent.device.RunConfig;
import dev.ota.agent.fleet.DeviceJournal;
import dev.ota.agent.runtime.AgentMain;
import dev.ota.agent.runtime.DeviceRunner;
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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 * The reference agent as a long-running device ({@code ota-agent run}) against the real server: it makes its key,
 * enrolls with a token an administrator made through the management API, waits while pending, checks in once
 * accepted, backs up its properties, survives restarts on the same data folder without reusing a counter, and
 * restores its deleted properties file from its own signed backup.
 */
@ExtendWith(ArquillianExtension.class)
class AgentRunIT {
    private static final String HARDWARE = "lock-v2";
    private final Http http = new Http();
    private final List<Duration> waits = new ArrayList<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void agentEnrollsIsAcceptedChecksInSurvivesRestartsAndRestoresItsDeletedProperties() throws Exception {
        // Arrange: a token that needs an administrator's acceptance and enrolls one device only.
        String[] admin = ItAccounts.admin(http);
        HttpResponse<byte[]> made = http.postJson("/portal/api/v1/enrollment-tokens", "{\"hardwareIds\":[\"" + HARDWARE
                + "\"],\"maxUses\":1,\"validityHours\":1,\"autoAccept\":false}", admin);
        assertEquals(201, made.statusCode(), Http.text(made));
        String token = ((JsonValue.JsonString) json(made).get("token")).value();
        String deviceId = "run-" + UUID.randomUUID().toString().substring(0, 8);
        Path device = Files.createTempDirectory("agent-run-it-");
        Path config = device.resolve("agent.properties");
        Files.writeString(config, String.join("\n",
                "server.url=http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180"),
                "device.id=" + deviceId, "hardware.id=" + HARDWARE, "enrollment.token=" + token,
                "state.command=echo busy door in use", "state.timeout-seconds=10",
                "properties.file=device.properties", "data.dir=data", ""));

        // Act 1: first start, pending.
        DeviceRunner first = runner(config);
        first.run(2);

        // Assert 1: the key was made on the device, owner-only; the server holds it pending, and no check-in passed.
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(device.resolve("data/device-key.pk8"))));
        JsonObject pending = device(admin, deviceId);
        assertEquals("PENDING", string(pending, "status"));
        assertEquals(1, waits.size());
        assertTrue(waits.get(0).toSeconds() > 0, "a pending device waits between its requests: " + waits);

        // Act 2: accepted by an administrator, the same process goes on.
        HttpResponse<byte[]> accepted = http.send("POST", "/portal/api/v1/devices/" + deviceId + "/accept", admin);
        assertEquals(200, accepted.statusCode(), Http.text(accepted));
        first.run(2);

        // Assert 2
        JsonObject shown = device(admin, deviceId);
        assertEquals("ACCEPTED", string(shown, "status"));
        assertEquals("busy", string(shown, "state"));
        assertEquals(2, number(shown, "lastCounter"));
        assertTrue(((JsonObject) shown.get("ecus")).has(deviceId), dev.ota.tuf.json.CanonicalJson.encodeToString(shown));
        assertEquals(1, configVersions(shown), "the first properties were backed up once");

        // Act 3: the device edits its properties, then restarts twice as new processes on the same data folder.
        DeviceProperties.at(device.resolve("device.properties")).write(Map.of("device.id", deviceId, "name", "Front door",
                "net.ssid", "shop-floor"));
        assertEquals(0, agent(config));
        assertEquals(0, agent(config));

        // Assert 3: counters went on above the last one (a reused counter would have been refused with 409).
        JsonObject restarted = device(admin, deviceId);
        assertEquals(4, number(restarted, "lastCounter"));
        assertEquals(4, DeviceJournal.open(device.resolve("data")).lastCounter());
        assertEquals(2, configVersions(restarted), "the edited properties were backed up once more");

        // Act 4: the properties file is lost.
        Files.delete(device.resolve("device.properties"));
        assertEquals(0, agent(config));

        // Assert 4: restored from the server, as the device signed it; nothing new uploaded.
        assertEquals(new DeviceProperties.Present(Map.of("device.id", deviceId, "name", "Front door", "net.ssid", "shop-floor")),
                DeviceProperties.at(device.resolve("device.properties")).inspect());
        JsonObject after = device(admin, deviceId);
        assertEquals(5, number(after, "lastCounter"));
        assertEquals(2, configVersions(after));
        assertFalse(log.toString(StandardCharsets.UTF_8).contains(token), "the enrollment token is never logged");
    }

    private DeviceRunner runner(Path config) {
        // The cycles run back to back: the waits are recorded, not slept (the server's interval is minutes).
        return DeviceRunner.of(RunConfig.load(config), Clock.systemUTC(), waits::add, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    /** One cycle of {@code ota-agent run} as its own agent instance (a restarted process). */
    private int agent(Path config) {
        return AgentMain.run(List.of("--config", config.toString(), "run", "--cycles", "1"),
                new PrintStream(log, true, StandardCharsets.UTF_8), new PrintStream(log, true, StandardCharsets.UTF_8), Clock.systemUTC());
    }

    private JsonObject device(String[] admin, String id) {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/devices/" + id, admin);
        assertEquals(200, r.statusCode(), Http.text(r));
        return json(r);
    }

    private static int configVersions(JsonObject device) {
        return ((JsonValue.JsonArray) device.get("configVersions")).elements().size();
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    private static String string(JsonObject o, String name) {
        return o.get(name) instanceof JsonValue.JsonString s ? s.value() : null;
    }

    private static long number(JsonObject o, String name) {
        return ((JsonValue.JsonNumber) o.get(name)).value().longValueExact();
    }
}
