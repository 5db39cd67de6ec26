package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.protocol.Checkin;
import dev.ota.protocol.ConfigBackup;
import dev.ota.protocol.Enrollment;
import dev.ota.protocol.Envelope;
import dev.ota.protocol.Report;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inventory over devices enrolled and checked in through the device API exactly as device-api.md says
 * (envelopes signed with device-protocol and tuf-core keys): the filtered list paged by keyset, tags and
 * attributes, the report history and the configuration versions with their difference.
 */
@ExtendWith(ArquillianExtension.class)
class InventoryDevicesIT {
    private static final String API = "/portal/api/v1";
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    private static String string(JsonObject o, String name) {
        return ((JsonValue.JsonString) o.get(name)).value();
    }

    private static List<String> ids(HttpResponse<byte[]> page) {
        assertEquals(200, page.statusCode(), Http.text(page));
        return ((JsonArray) json(page).get("devices")).elements().stream()
                .map(d -> string((JsonObject) d, "deviceId")).toList();
    }

    private String token(String[] admin, String hardwareId, int uses) {
        HttpResponse<byte[]> r = http.postJson(API + "/enrollment-tokens", "{\"hardwareIds\": [\"" + hardwareId
                + "\"], \"maxUses\": " + uses + ", \"validityHours\": 1, \"autoAccept\": true}", admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        return string(json(r), "token");
    }

    private void enroll(String token, String deviceId, String hardwareId, SigningKey key) {
        Enrollment e = new Enrollment(token, deviceId, hardwareId, key.publicKey(), "1.4.0",
                TestDevice.TIME);
        HttpResponse<byte[]> r = http.sendBytes("POST", "/devices/v1/enrollments", "application/json",
                Envelope.sign(e, key).toBytes(), new String[0]);
        assertEquals(201, r.statusCode(), Http.text(r));
    }

    private void checkin(String deviceId, SigningKey key, long counter, Checkin.DeviceState state, String installed,
                         List<Report> reports) {
        String hardware = "lock-" + deviceId.substring(0, deviceId.indexOf("-dev-"));
        Map<String, Checkin.Ecu> ecus = Map.of(deviceId, new Checkin.Ecu(hardware, Optional.of(
                new Checkin.InstalledImage(installed, 8, Map.of("sha256", "00".repeat(32)), OptionalLong.of(41))), ""));
        Checkin c = new Checkin(deviceId, counter, TestDevice.TIME, state,
                Optional.empty(), ecus, OptionalLong.empty(), reports, Optional.empty());
        HttpResponse<byte[]> r = http.sendBytes("POST", "/devices/v1/" + deviceId + "/checkins", "application/json",
                Envelope.sign(c, key).toBytes(), new String[0]);
        assertEquals(200, r.statusCode(), Http.text(r));
    }

    private void config(String deviceId, SigningKey key, long version, String properties) {
        ConfigBackup b = new ConfigBackup(deviceId, version, (JsonObject) Json.parse(
                properties.getBytes(StandardCharsets.UTF_8), "properties"));
        HttpResponse<byte[]> r = http.sendBytes("PUT", "/devices/v1/" + deviceId + "/config", "application/json",
                Envelope.sign(b, key).toBytes(), new String[0]);
        assertEquals(200, r.statusCode(), Http.text(r));
    }

    private HttpResponse<byte[]> put(String path, String body, String[] credentials) {
        return http.sendBytes("PUT", API + path, "application/json", body.getBytes(StandardCharsets.UTF_8), credentials);
    }

    @Test
    void listsEnrolledDevicesByFilterAKeysetPageAtATimeAndKeepsTagsAttributesReportsAndConfigs() {
        // Arrange: seven devices of a hardware id of this run; four report fw 1.4, three fw 1.5; one busy.
        String[] admin = ItAccounts.admin(http);
        String run = "inv" + System.nanoTime() % 100000;
        String hardware = "lock-" + run;
        String token = token(admin, hardware, 7);
        Map<String, SigningKey> keys = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            String id = run + "-dev-" + i;
            SigningKey key = SigningKey.generate();
            keys.put(id, key);
            enroll(token, id, hardware, key);
            checkin(id, key, 1, i == 3 ? Checkin.DeviceState.BUSY : Checkin.DeviceState.IDLE,
                    i < 4 ? "lock-fw/1.4.0.bin" : "lock-fw/1.5.0.bin", List.of());
        }
        String first = run + "-dev-0";

        // Act: pages of three by keyset.
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            HttpResponse<byte[]> page = http.get(API + "/devices?hardwareId=" + hardware + "&limit=3"
                    + (after == null ? "&count=true" : "&after=" + after), admin);
            seen.addAll(ids(page));
            JsonValue next = json(page).get("next");
            after = next == null ? null : ((JsonValue.JsonString) next).value();
            pages++;
        } while (after != null && pages < 10);

        // Assert
        assertEquals(new ArrayList<>(keys.keySet()), seen);
        assertEquals(3, pages);
        assertEquals(List.of(run + "-dev-4", run + "-dev-5", run + "-dev-6"),
                ids(http.get(API + "/devices?hardwareId=" + hardware + "&installedRelease=lock-fw%2F1.5.0.bin", admin)));
        assertEquals(List.of(run + "-dev-3"), ids(http.get(API + "/devices?hardwareId=" + hardware + "&state=busy",
                admin)));

        // Act: tags and attributes on two devices, then filters over them.
        assertEquals(200, put("/devices/" + first + "/tags", "{\"tags\": [\"eu\", \"pilot\"]}", admin).statusCode());
        assertEquals(200, put("/devices/" + run + "-dev-5/tags", "{\"tags\": [\"eu\"]}", admin).statusCode());
        HttpResponse<byte[]> attrs = put("/devices/" + first + "/attributes",
                "{\"attributes\": {\"timeZone\": \"Europe/Berlin\", \"customer\": \"acme\"}}", admin);
        HttpResponse<byte[]> badZone = put("/devices/" + first + "/attributes",
                "{\"attributes\": {\"timeZone\": \"Europe/Atlantis\"}}", admin);
        HttpResponse<byte[]> saved = http.postJson(API + "/filters", "{\"name\": \"" + run + "-eu\", \"filter\": "
                + "{\"hardwareId\": \"" + hardware + "\", \"tags\": [\"eu\"]}}", admin);

        // Assert
        assertEquals(200, attrs.statusCode(), Http.text(attrs));
        assertEquals("Europe/Berlin", string((JsonObject) json(attrs).get("attributes"), "timeZone"));
        assertEquals(400, badZone.statusCode(), Http.text(badZone));
        JsonObject listed = (JsonObject) ((JsonArray) json(http.get(API + "/devices?idPrefix=" + first, admin))
                .get("devices")).elements().get(0);
        assertEquals("Europe/Berlin", string((JsonObject) listed.get("attributes"), "timeZone"),
                "the refused change kept the attributes");
        assertEquals(201, saved.statusCode(), Http.text(saved));
        assertEquals(List.of(first, run + "-dev-5"), ids(http.get(API + "/filters/" + run + "-eu/devices", admin)));
        assertEquals(List.of(first), ids(http.get(API + "/devices?hardwareId=" + hardware
                + "&tag=eu&tag=pilot&attribute=customer%3Dacme", admin)));

        // Act: reports and two configuration versions of the first device.
        SigningKey key = keys.get(first);
        checkin(first, key, 2, Checkin.DeviceState.IDLE, "lock-fw/1.4.0.bin", List.of(
                new Report("a-1", 1, Report.State.DOWNLOADING, TestDevice.TIME, ""),
                new Report("a-1", 2, Report.State.DOWNLOADED, TestDevice.TIME, ""),
                new Report("a-1", 3, Report.State.INSTALLING, TestDevice.TIME, "")));
        config(first, key, 1, "{\"name\": \"door 1\", \"wifi\": \"a\", \"old\": true}");
        config(first, key, 2, "{\"name\": \"door 1\", \"wifi\": \"b\", \"new\": 5}");
        HttpResponse<byte[]> page1 = http.get(API + "/devices/" + first + "/reports?limit=2", admin);
        long before = ((JsonValue.JsonNumber) json(page1).get("next")).value().longValue();
        HttpResponse<byte[]> page2 = http.get(API + "/devices/" + first + "/reports?limit=2&before=" + before, admin);
        HttpResponse<byte[]> versions = http.get(API + "/devices/" + first + "/configs", admin);
        HttpResponse<byte[]> diff = http.get(API + "/devices/" + first + "/configs/diff?from=1&to=2", admin);

        // Assert
        assertEquals(200, page1.statusCode(), Http.text(page1));
        assertEquals(2, ((JsonArray) json(page1).get("reports")).elements().size());
        assertEquals(1, ((JsonArray) json(page2).get("reports")).elements().size(), Http.text(page2));
        assertFalse(json(page2).has("next"), Http.text(page2));
        assertEquals(2, ((JsonArray) json(versions).get("versions")).elements().size(), Http.text(versions));
        JsonObject d = json(diff);
        assertEquals("5", string((JsonObject) d.get("added"), "new"));
        assertEquals("true", string((JsonObject) d.get("removed"), "old"));
        assertEquals("\"b\"", string((JsonObject) ((JsonObject) d.get("changed")).get("wifi"), "to"));
        assertTrue(!((JsonObject) d.get("changed")).has("name"));
    }
}
