package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inventory's management API over real HTTP: saved filters (groups) made, read, replaced and deleted by an
 * administrator and only read by an auditor; the device list's filter and paging parameters; tags and
 * attributes refused with a 400 or 404 JSON body; every change and every refusal in the audit log.
 */
@ExtendWith(ArquillianExtension.class)
class InventoryApiIT {
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

    private HttpResponse<byte[]> put(String path, String body, String[] credentials) {
        return http.sendBytes("PUT", API + path, "application/json", body.getBytes(StandardCharsets.UTF_8), credentials);
    }

    private static void assertError(int status, String code, HttpResponse<byte[]> r) {
        assertEquals(status, r.statusCode(), Http.text(r));
        assertEquals(code, string(json(r), "code"), Http.text(r));
    }

    /**
     * The newest audit entries of {@code field} (actor or subject) {@code value} as "actor action subject outcome",
     * read by the administrator; filtered by the server, as the newest of all entries can be other work's (the
     * scheduler's on earlier tests' rollouts).
     */
    private List<String> audit(String[] admin, String field, String value) {
        HttpResponse<byte[]> r = http.get(API + "/audit?limit=50&" + field + "="
                + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8), admin);
        assertEquals(200, r.statusCode(), Http.text(r));
        return ((JsonArray) Json.parse(r.body(), "audit")).elements().stream().map(e -> (JsonObject) e)
                .map(e -> string(e, "actor") + " " + string(e, "action") + " " + string(e, "subject") + " "
                        + string(e, "outcome")).toList();
    }

    @Test
    void administratorSavesReadsReplacesAndDeletesAFilterAndEachChangeIsAudited() {
        // Arrange
        String[] admin = ItAccounts.admin(http);
        String name = "lock-v2-eu-" + System.nanoTime() % 100000;

        // Act
        HttpResponse<byte[]> created = http.postJson(API + "/filters", "{\"name\": \"" + name + "\", \"filter\": "
                + "{\"hardwareId\": \"lock-v2\", \"tags\": [\"eu\"], \"attributes\": {\"timeZone\": \"Europe/Berlin\"}}}",
                admin);
        HttpResponse<byte[]> again = http.postJson(API + "/filters", "{\"name\": \"" + name + "\", \"filter\": {}}", admin);
        HttpResponse<byte[]> shown = http.get(API + "/filters/" + name, admin);
        HttpResponse<byte[]> replaced = put("/filters/" + name, "{\"filter\": {\"state\": \"busy\"}}", admin);
        HttpResponse<byte[]> devices = http.get(API + "/filters/" + name + "/devices?limit=10&count=true", admin);
        HttpResponse<byte[]> deleted = http.send("DELETE", API + "/filters/" + name, admin);
        HttpResponse<byte[]> gone = http.get(API + "/filters/" + name, admin);

        // Assert
        assertEquals(201, created.statusCode(), Http.text(created));
        JsonObject filter = (JsonObject) json(created).get("filter");
        assertEquals("lock-v2", string(filter, "hardwareId"));
        assertEquals("Europe/Berlin", string((JsonObject) filter.get("attributes"), "timeZone"));
        assertError(409, "filter.exists", again);
        assertEquals(200, shown.statusCode(), Http.text(shown));
        assertEquals("admin", string(json(shown), "createdBy"));
        assertEquals(200, replaced.statusCode(), Http.text(replaced));
        assertEquals("busy", string((JsonObject) json(replaced).get("filter"), "state"));
        assertTrue(!((JsonObject) json(replaced).get("filter")).has("hardwareId"), Http.text(replaced));
        assertEquals(200, devices.statusCode(), Http.text(devices));
        assertTrue(json(devices).get("devices") instanceof JsonArray, Http.text(devices));
        assertTrue(json(devices).get("count") instanceof JsonValue.JsonNumber, Http.text(devices));
        assertEquals(204, deleted.statusCode(), Http.text(deleted));
        assertError(404, "filter.unknown", gone);
        List<String> entries = audit(admin, "subject", name);
        for (String expected : List.of("admin filter.create " + name + " SUCCESS", "admin filter.create " + name
                + " FAILED", "admin filter.replace " + name + " SUCCESS", "admin filter.delete " + name + " SUCCESS")) {
            assertTrue(entries.contains(expected), expected + " in " + entries);
        }
    }

    @Test
    void filterWithAnUnknownOrMistypedFieldIsRefusedByNameAndNothingIsSaved() {
        // Arrange
        String[] admin = ItAccounts.admin(http);
        String name = "typo-" + System.nanoTime() % 100000;

        // Act
        HttpResponse<byte[]> unknown = http.postJson(API + "/filters", "{\"name\": \"" + name + "\", \"filter\": "
                + "{\"hardwareID\": \"lock-v2\"}}", admin);
        HttpResponse<byte[]> mistyped = http.postJson(API + "/filters", "{\"name\": \"" + name + "\", \"filter\": "
                + "{\"tags\": \"eu\"}}", admin);
        HttpResponse<byte[]> badZone = http.postJson(API + "/filters", "{\"name\": \"" + name + "\", \"filter\": "
                + "{\"attributes\": {\"timeZone\": \"Mars/Olympus\"}}}", admin);
        HttpResponse<byte[]> notAnObject = http.postJson(API + "/filters", "{\"name\": \"" + name + "\", \"filter\": []}",
                admin);
        HttpResponse<byte[]> badName = http.postJson(API + "/filters", "{\"name\": \"../x\", \"filter\": {}}", admin);

        // Assert
        assertError(400, "filter.invalid", unknown);
        assertTrue(string(json(unknown), "message").contains("hardwareID"), Http.text(unknown));
        assertError(400, "filter.invalid", mistyped);
        assertTrue(string(json(mistyped), "message").contains("tags"), Http.text(mistyped));
        assertError(400, "device.time-zone-invalid", badZone);
        assertError(400, "request.malformed", notAnObject);
        assertError(400, "filter.name-invalid", badName);
        assertError(404, "filter.unknown", http.get(API + "/filters/" + name, admin));
        assertTrue(audit(admin, "subject", name).contains("admin filter.create " + name + " FAILED"));
    }

    @Test
    void auditorReadsFiltersAndDevicesButEveryChangeIsRefusedAndAudited() {
        // Arrange
        String[] admin = ItAccounts.admin(http);
        String auditorName = "inventory-auditor-" + System.nanoTime() % 100000;
        String[] auditor = Http.basic(auditorName, ItAccounts.createWithPassword(http, auditorName, "auditor"));
        String name = "auditor-reads-" + System.nanoTime() % 100000;
        assertEquals(201, http.postJson(API + "/filters", "{\"name\": \"" + name + "\", \"filter\": {}}", admin)
                .statusCode());

        // Act
        HttpResponse<byte[]> list = http.get(API + "/filters", auditor);
        HttpResponse<byte[]> one = http.get(API + "/filters/" + name + "/devices", auditor);
        HttpResponse<byte[]> devices = http.get(API + "/devices?status=ACCEPTED&limit=5", auditor);
        HttpResponse<byte[]> create = http.postJson(API + "/filters", "{\"name\": \"by-auditor\", \"filter\": {}}", auditor);
        HttpResponse<byte[]> replace = put("/filters/" + name, "{\"filter\": {\"state\": \"idle\"}}", auditor);
        HttpResponse<byte[]> delete = http.send("DELETE", API + "/filters/" + name, auditor);
        HttpResponse<byte[]> tags = put("/devices/lock-0042/tags", "{\"tags\": [\"eu\"]}", auditor);

        // Assert
        assertEquals(200, list.statusCode(), Http.text(list));
        assertEquals(200, one.statusCode(), Http.text(one));
        assertEquals(200, devices.statusCode(), Http.text(devices));
        for (HttpResponse<byte[]> refused : List.of(create, replace, delete, tags)) {
            assertError(403, "auth.forbidden", refused);
        }
        assertEquals(200, http.get(API + "/filters/" + name, admin).statusCode(), "the refused delete changed nothing");
        JsonObject kept = (JsonObject) json(http.get(API + "/filters/" + name, admin)).get("filter");
        assertTrue(!kept.has("state"), "the refused replacement changed nothing: " + kept.members());
        long forbidden = audit(admin, "actor", auditorName).stream()
                .filter(e -> e.startsWith(auditorName + " auth.forbidden ") && e.endsWith(" DENIED")).count();
        assertEquals(4, forbidden, audit(admin, "actor", auditorName).toString());
    }

    @Test
    void deviceListRefusesUnknownParametersAndOutOfRangeLimitsWithA400NamingThem() {
        // Arrange
        String[] admin = ItAccounts.admin(http);

        // Act + Assert
        HttpResponse<byte[]> unknown = http.get(API + "/devices?hardwareID=lock-v2", admin);
        assertError(400, "filter.invalid", unknown);
        assertTrue(string(json(unknown), "message").contains("hardwareID"), Http.text(unknown));
        assertError(400, "request.invalid-parameter", http.get(API + "/devices?limit=0", admin));
        assertError(400, "request.invalid-parameter", http.get(API + "/devices?limit=501", admin));
        assertError(400, "request.invalid-parameter", http.get(API + "/devices?limit=ten", admin));
        assertError(400, "request.invalid-parameter", http.get(API + "/devices?count=yes", admin));
        assertError(400, "filter.invalid", http.get(API + "/devices?status=accepted", admin));
        assertError(400, "filter.invalid", http.get(API + "/devices?attribute=region", admin));
        assertError(400, "filter.invalid", http.get(API + "/devices?lastCheckinAfter=yesterday", admin));
        assertError(400, "filter.invalid", http.get(API + "/devices?hardwareId=a&hardwareId=b", admin));
        assertError(400, "device.id-invalid", http.get(API + "/devices?after=.hidden", admin));
        HttpResponse<byte[]> page = http.get(API + "/devices?tag=eu&tag=beta&attribute=region%3Deu"
                + "&installedRelease=lock-fw%2F1.4.0.bin&state=idle&idPrefix=lock-&text=00&limit=500&count=true", admin);
        assertEquals(200, page.statusCode(), Http.text(page));
        assertEquals(new JsonValue.JsonNumber(java.math.BigInteger.ZERO), json(page).get("count"), Http.text(page));
    }

    @Test
    void tagsAndAttributesOfAnUnknownDeviceOrWithBadValuesAreRefusedAndAudited() {
        // Arrange
        String[] admin = ItAccounts.admin(http);
        String device = "no-such-device-" + System.nanoTime() % 100000;

        // Act
        HttpResponse<byte[]> unknown = put("/devices/" + device + "/tags", "{\"tags\": [\"eu\"]}", admin);
        HttpResponse<byte[]> badTag = put("/devices/" + device + "/tags", "{\"tags\": [\"e u\"]}", admin);
        HttpResponse<byte[]> badZone = put("/devices/" + device + "/attributes",
                "{\"attributes\": {\"timeZone\": \"Europe/Atlantis\"}}", admin);
        HttpResponse<byte[]> notString = put("/devices/" + device + "/attributes", "{\"attributes\": {\"a\": 1}}", admin);
        HttpResponse<byte[]> reports = http.get(API + "/devices/" + device + "/reports", admin);
        HttpResponse<byte[]> configs = http.get(API + "/devices/" + device + "/configs", admin);
        HttpResponse<byte[]> diff = http.get(API + "/devices/" + device + "/configs/diff?from=1", admin);

        // Assert
        assertError(404, "device.unknown", unknown);
        assertError(400, "device.tags-invalid", badTag);
        assertError(400, "device.time-zone-invalid", badZone);
        assertError(400, "request.malformed", notString);
        assertError(404, "device.unknown", reports);
        assertError(404, "device.unknown", configs);
        assertError(400, "request.invalid-parameter", diff);
        List<String> entries = audit(admin, "subject", device);
        assertTrue(entries.contains("admin device.tags " + device + " FAILED"), entries.toString());
        assertTrue(entries.contains("admin device.attributes " + device + " FAILED"), entries.toString());
    }
}
