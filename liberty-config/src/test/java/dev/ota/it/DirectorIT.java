package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;
import dev.ota.tuf.trust.TrustedMetadataSet;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The director over real HTTP (device-api.md, "Director metadata"; issue 12): an operator assigns a release to a
 * test device through the management API, the device's next check-in names a higher director timestamp version,
 * and the device's director repository, fetched with its bearer token, verifies with tuf-core from the director
 * root to a targets naming the device and the image exactly as the image repository lists it. Refused
 * assignments sign nothing. A rollback is a re-release the director may assign to a device running a higher counter
 * than the original, which it refuses to assign.
 */
@ExtendWith(ArquillianExtension.class)
class DirectorIT {
    /**
     * A product line of each test's own (JUnit makes an instance per test): release counters increase strictly per
     * line, so counters this class gives must not depend on what other classes uploaded for lock-v2.
     */
    private final String hardware = "lock-v2-" + UUID.randomUUID().toString().substring(0, 8);
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void anAssignedReleaseReachesTheDevicesDirectorRepositoryAndVerifiesFromTheDirectorRoot() throws IOException {
        String[] admin = ItAccounts.admin(http);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String path = "lock-fw/director-" + run + "-1.5.0.bin";
        byte[] image = ("firmware 1.5.0 " + run).getBytes(StandardCharsets.UTF_8);
        assertEquals(201, upload(admin, path, hardware, 42, image).statusCode());
        TestDevice device = enrolled(admin, "lock-" + run);
        String token = string(json(device.checkin(http)), "token");
        long before = number(object(json(device.checkin(http)), "director"), "timestampVersion");

        HttpResponse<byte[]> assigned = http.postJson("/portal/api/v1/assignments",
                "{\"deviceId\":\"" + device.id + "\",\"targetPath\":\"" + path + "\"}", admin);

        assertEquals(201, assigned.statusCode(), Http.text(assigned));
        JsonObject order = (JsonObject) ((JsonValue.JsonArray) json(assigned).get("assignments")).elements().get(0);
        String actionId = string(order, "actionId");
        JsonObject answer = json(device.checkin(http));
        token = string(answer, "token");
        long after = number(object(answer, "director"), "timestampVersion");
        assertTrue(after > before, "the check-in answer names the new director timestamp: " + before + " -> " + after);

        Signed<Targets> targets = verifiedDirectorTargets(device.id, token, after);
        assertEquals(JsonValue.obj("deviceId", JsonValue.of(device.id)), targets.signed().unrecognized().get("custom"));
        TargetFile ordered = targets.signed().targets().get(path);
        TargetFile listed = imageRepositoryTarget(path);
        assertEquals(listed.length(), ordered.length());
        assertEquals(listed.hashes(), ordered.hashes());
        assertEquals(image.length, ordered.length());
        JsonObject custom = (JsonObject) ordered.custom().orElseThrow();
        JsonObject listedCustom = (JsonObject) listed.custom().orElseThrow();
        assertEquals(listedCustom.get("hardwareIds"), custom.get("hardwareIds"));
        assertEquals(listedCustom.get("releaseCounter"), custom.get("releaseCounter"));
        assertEquals(JsonValue.of(42), custom.get("releaseCounter"));
        assertEquals(JsonValue.of(actionId), custom.get("actionId"));
        assertEquals(JsonValue.of(1), custom.get("attempt"));
        assertEquals(JsonValue.obj(device.id, JsonValue.obj("hardwareId", JsonValue.of(hardware))),
                custom.get("ecuIdentifiers"));

        // An unchanged timestamp is not sent again.
        HttpResponse<byte[]> ts = getWithToken(device.id, "timestamp.json", token);
        HttpResponse<byte[]> unchanged = http.get("/director/" + device.id + "/metadata/timestamp.json",
                "Authorization", "Bearer " + token, "If-None-Match", ts.headers().firstValue("ETag").orElseThrow());
        assertEquals(304, unchanged.statusCode(), Http.text(unchanged));

        // Cancelling signs an empty targets that still names the device.
        HttpResponse<byte[]> cancelled = http.send("DELETE", "/portal/api/v1/assignments/" + device.id, admin);
        assertEquals(200, cancelled.statusCode(), Http.text(cancelled));
        answer = json(device.checkin(http));
        long afterCancel = number(object(answer, "director"), "timestampVersion");
        assertTrue(afterCancel > after);
        Signed<Targets> empty = verifiedDirectorTargets(device.id, string(answer, "token"), afterCancel);
        assertTrue(empty.signed().targets().isEmpty());
        assertEquals(JsonValue.obj("deviceId", JsonValue.of(device.id)), empty.signed().unrecognized().get("custom"));
    }

    /**
     * The poll (GET of timestamp.json) is answered before JAX-RS (device-api-war's DirectorPoll, for speed), while
     * HEAD of the same address still goes through JAX-RS: both give the same headers a device acts on, the
     * conditional GET follows the same rules, and the poll's refusals are the contract's JSON bodies.
     */
    @Test
    void thePollIsAnsweredWithTheHeadersConditionsAndRefusalsOfTheDirectorsOtherAnswers() {
        String[] admin = ItAccounts.admin(http);
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestDevice device = enrolled(admin, "lock-poll-" + run);
        String token = string(json(device.checkin(http)), "token");
        String path = "/director/" + device.id + "/metadata/timestamp.json";

        HttpResponse<byte[]> get = http.get(path, "Authorization", "Bearer " + token);
        HttpResponse<byte[]> head = http.head(path, "Authorization", "Bearer " + token);

        assertEquals(200, get.statusCode(), Http.text(get));
        assertEquals(200, head.statusCode());
        for (String h : List.of("ETag", "Last-Modified", "Cache-Control")) {
            assertEquals(head.headers().allValues(h), get.headers().allValues(h), h);
        }
        assertEquals(List.of("no-cache"), get.headers().allValues("Cache-Control"));
        assertEquals("application/json", get.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(String.valueOf(get.body().length), get.headers().firstValue("Content-Length").orElseThrow());
        Signed.parse(get.body(), Timestamp.class, "timestamp.json");
        String etag = get.headers().firstValue("ETag").orElseThrow();
        String lastModified = get.headers().firstValue("Last-Modified").orElseThrow();

        for (String[] condition : List.of(new String[] {"If-None-Match", etag}, new String[] {"If-None-Match", "\"x\", W/" + etag},
                new String[] {"If-None-Match", "*"}, new String[] {"If-Modified-Since", lastModified})) {
            HttpResponse<byte[]> unchanged = http.get(path, "Authorization", "Bearer " + token, condition[0], condition[1]);
            assertEquals(304, unchanged.statusCode(), String.join(": ", condition));
            assertEquals(0, unchanged.body().length);
            assertEquals(List.of(etag), unchanged.headers().allValues("ETag"));
            assertEquals(List.of("no-cache"), unchanged.headers().allValues("Cache-Control"));
        }
        HttpResponse<byte[]> changed = http.get(path, "Authorization", "Bearer " + token, "If-None-Match", "\"other\"");
        assertEquals(200, changed.statusCode());
        assertArrayEquals(get.body(), changed.body());

        assertRefused(401, "device.token-missing", http.get(path));
        assertRefused(401, "device.token-missing", http.get(path, "Authorization", "Basic " + token));
        assertRefused(401, "device.token-invalid", http.get(path, "Authorization", "Bearer " + token + "x"));
        assertRefused(401, "device.token-invalid", http.get(path, "Authorization", "Bearer v2.00000000.1.x"));
        assertRefused(401, "device.token-invalid", http.get("/director/no-such-" + run + "/metadata/timestamp.json",
                "Authorization", "Bearer " + token));
    }

    /**
     * The poll of a timestamp past half its life (virtual time) signs it again and answers 200 with the new version,
     * not 304 to the device's old ETag; the poll after that is 304 again.
     */
    @Test
    void aPollPastHalfTheTimestampsLifeGetsItSignedAgain() {
        String[] admin = ItAccounts.admin(http);
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestDevice device = enrolled(admin, "lock-half-" + run);
        String token = string(json(device.checkin(http)), "token");
        HttpResponse<byte[]> first = getWithToken(device.id, "timestamp.json", token);
        assertEquals(200, first.statusCode(), Http.text(first));
        String etag = first.headers().firstValue("ETag").orElseThrow();

        new ServerClock().advance(java.time.Duration.ofHours(12).plusMinutes(1));
        token = string(json(device.checkin(http)), "token"); // the first token ended with the hour
        HttpResponse<byte[]> after = http.get("/director/" + device.id + "/metadata/timestamp.json",
                "Authorization", "Bearer " + token, "If-None-Match", etag);

        assertEquals(200, after.statusCode(), Http.text(after));
        Timestamp was = Signed.parse(first.body(), Timestamp.class, "timestamp.json").signed();
        Timestamp now = Signed.parse(after.body(), Timestamp.class, "timestamp.json").signed();
        assertTrue(now.version() > was.version(), was.version() + " -> " + now.version());
        assertTrue(now.expires().isAfter(was.expires()));
        String newEtag = after.headers().firstValue("ETag").orElseThrow();
        assertTrue(!newEtag.equals(etag));
        assertEquals(304, http.get("/director/" + device.id + "/metadata/timestamp.json",
                "Authorization", "Bearer " + token, "If-None-Match", newEtag).statusCode());
    }

    @Test
    void directorMetadataNeedsTheDevicesOwnBearerTokenButTheRootDoesNot() {
        String[] admin = ItAccounts.admin(http);
        String run = UUID.randomUUID().toString().substring(0, 8);
        TestDevice device = enrolled(admin, "lock-" + run);
        TestDevice other = enrolled(admin, "lock-other-" + run);
        String token = string(json(device.checkin(http)), "token");
        String othersToken = string(json(other.checkin(http)), "token");

        assertRefused(401, http.get("/director/" + device.id + "/metadata/timestamp.json"));
        assertRefused(401, getWithToken(device.id, "timestamp.json", othersToken));
        assertRefused(401, getWithToken(device.id, "1.root.json", "not-a-token"));
        assertEquals(200, getWithToken(device.id, "timestamp.json", token).statusCode());
        HttpResponse<byte[]> root = http.get("/director/root/1.root.json");
        assertEquals(200, root.statusCode());
        assertArrayEquals(root.body(), getWithToken(device.id, "1.root.json", token).body(),
                "one director root for every device");
        assertTrue(!java.util.Arrays.equals(root.body(), http.get("/metadata/1.root.json").body()),
                "the director's root is not the image repository's");
        assertEquals(404, http.get("/director/root/2.root.json").statusCode());
    }

    @Test
    void assignmentsTheImageRepositoryDoesNotBackAreRefusedAndSignNothing() {
        String[] admin = ItAccounts.admin(http);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String otherHardware = "lock-fw/director-" + run + "-v9.bin";
        String lower = "lock-fw/director-" + run + "-old.bin";
        assertEquals(201, upload(admin, otherHardware, hardware + "-other", 50, "other hardware".getBytes(StandardCharsets.UTF_8))
                .statusCode());
        assertEquals(201, upload(admin, lower, hardware, 40, "older".getBytes(StandardCharsets.UTF_8)).statusCode());
        TestDevice device = enrolled(admin, "lock-" + run);
        long before = number(object(json(device.checkin(http)), "director"), "timestampVersion");

        assertRefused(409, "assignment.target-not-listed", assign(admin, device.id, "lock-fw/nowhere-" + run + ".bin"));
        assertRefused(409, "assignment.wrong-hardware", assign(admin, device.id, otherHardware));
        // The test device reports release counter 41 installed.
        assertRefused(409, "assignment.release-counter-lower", assign(admin, device.id, lower));
        assertRefused(404, "device.not-found", assign(admin, "ghost-" + run, lower));

        JsonObject answer = json(device.checkin(http));
        assertEquals(before, number(object(answer, "director"), "timestampVersion"), "nothing was signed");
        String audit = Http.text(http.get("/portal/api/v1/audit?limit=50", admin));
        assertTrue(audit.contains("assignment.create") && audit.contains("assignment.wrong-hardware"),
                "refusals are audited: " + audit);
    }

    @Test
    void aSavedFilterByNameOrdersEveryAcceptedDeviceItMatchesAndAnUnknownNameIsRefused() {
        // Arrange: two devices of this test's hardware, a release for it, a saved filter naming the hardware.
        String[] admin = ItAccounts.admin(http);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String path = "lock-fw/director-" + run + "-group.bin";
        upload(admin, path, hardware, 50, ("group " + run).getBytes(StandardCharsets.UTF_8));
        TestDevice a = enrolled(admin, "lock-a-" + run);
        TestDevice b = enrolled(admin, "lock-b-" + run);
        assertEquals(200, a.checkin(http).statusCode());
        assertEquals(200, b.checkin(http).statusCode());
        String group = "group-" + run;
        HttpResponse<byte[]> saved = http.postJson("/portal/api/v1/filters", "{\"name\":\"" + group
                + "\",\"filter\":{\"hardwareId\":\"" + hardware + "\"}}", admin);
        assertEquals(201, saved.statusCode(), Http.text(saved));

        // Act
        HttpResponse<byte[]> assigned = http.postJson("/portal/api/v1/assignments",
                "{\"savedFilter\":\"" + group + "\",\"targetPath\":\"" + path + "\"}", admin);
        HttpResponse<byte[]> unknown = http.postJson("/portal/api/v1/assignments",
                "{\"savedFilter\":\"no-group-" + run + "\",\"targetPath\":\"" + path + "\"}", admin);
        HttpResponse<byte[]> both = http.postJson("/portal/api/v1/assignments",
                "{\"deviceId\":\"" + a.id + "\",\"savedFilter\":\"" + group + "\",\"targetPath\":\"" + path + "\"}", admin);

        // Assert: one order per matching device; the refusals say why and are audited.
        assertEquals(201, assigned.statusCode(), Http.text(assigned));
        java.util.Set<String> ordered = new java.util.TreeSet<>();
        for (JsonValue v : ((JsonValue.JsonArray) json(assigned).get("assignments")).elements()) {
            JsonObject order = (JsonObject) v;
            assertEquals(path, string(order, "targetPath"));
            ordered.add(string(order, "deviceId"));
        }
        assertEquals(new java.util.TreeSet<>(java.util.List.of(a.id, b.id)), ordered);
        assertRefused(404, "filter.unknown", unknown);
        assertRefused(400, "assignment.invalid", both);
        assertTrue(ItAudit.has(http, "assignment.create", e -> e.outcome().equals("DENIED")
                && e.detail().startsWith("assignment.invalid")), "the ambiguous request's refusal is audited");
        assertTrue(ItAudit.has(http, "assignment.create", e -> e.outcome().equals("DENIED")
                && e.subject().equals("saved filter no-group-" + run)), "the unknown name's refusal is audited");
    }

    @Test
    void aRollbackReReleaseIsAssignableToADeviceRunningAHigherCounterButTheOriginalIsNot() {
        String[] admin = ItAccounts.admin(http);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String good = "lock-fw/director-" + run + "-1.4.0.bin";
        byte[] goodBytes = ("firmware 1.4.0 " + run).getBytes(StandardCharsets.UTF_8);
        JsonObject original = json(upload(admin, good, hardware, 40, goodBytes));
        // The bad release the device now runs: the test device reports release counter 41 installed.
        JsonObject bad = json(uploadWithCounterParameter(admin, "lock-fw/director-" + run + "-1.5.0.bin", null));
        assertEquals(41, number(bad, "releaseCounter"));
        TestDevice device = enrolled(admin, "lock-" + run);
        device.checkin(http);

        HttpResponse<byte[]> rolledBack = http.send("POST", "/portal/api/v1/releases/" + number(original, "id")
                + "/rollback", admin);

        assertEquals(201, rolledBack.statusCode(), Http.text(rolledBack));
        JsonObject rollback = json(rolledBack);
        String rollbackPath = "lock-fw/director-" + run + "-1.4.0-rb1.bin";
        assertEquals(rollbackPath, string(rollback, "targetPath"));
        assertEquals(42, number(rollback, "releaseCounter"));
        assertEquals(string(original, "sha256"), string(rollback, "sha256"));
        assertEquals(original.get("version"), rollback.get("version"));
        assertEquals(original.get("hardwareIds"), rollback.get("hardwareIds"));
        assertEquals(JsonValue.obj("rollbackOf", JsonValue.of(good)),
                Json.parse(string(rollback, "customJson").getBytes(StandardCharsets.UTF_8), "customJson"));
        assertTrue(http.get("/portal/api/v1/releases/" + number(rollback, "id"), admin).statusCode() == 200);
        assertTrue(ItAudit.has(http, "release.rollback", e -> e.subject().equals(rollbackPath)
                && e.outcome().equals("SUCCESS") && e.detail().contains(good)), "the rollback is audited");

        assertRefused(409, "assignment.release-counter-lower", assign(admin, device.id, good));
        HttpResponse<byte[]> assigned = assign(admin, device.id, rollbackPath);
        assertEquals(201, assigned.statusCode(), Http.text(assigned));
        JsonObject answer = json(device.checkin(http));
        Signed<Targets> targets = verifiedDirectorTargets(device.id, string(answer, "token"),
                number(object(answer, "director"), "timestampVersion"));
        JsonObject ordered = (JsonObject) targets.signed().targets().get(rollbackPath).custom().orElseThrow();
        assertEquals(JsonValue.of(42), ordered.get("releaseCounter"));
        assertEquals(goodBytes.length, targets.signed().targets().get(rollbackPath).length());
    }

    @Test
    void aRollbackIsForReleaseManagersAndRefusalsSayWhyAndAreAudited() {
        String[] admin = ItAccounts.admin(http);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String good = "lock-fw/director-" + run + "-2.0.0.bin";
        JsonObject original = json(upload(admin, good, hardware, 7, "good".getBytes(StandardCharsets.UTF_8)));
        String auditorName = "rb-auditor-" + run;
        String[] auditor = Http.basic(auditorName, ItAccounts.createWithPassword(http, auditorName, "auditor"));
        String rollback = "/portal/api/v1/releases/" + number(original, "id") + "/rollback";

        assertRefused(403, http.send("POST", rollback, auditor));
        assertRefused(404, "release.not-found", http.send("POST", "/portal/api/v1/releases/999999999/rollback", admin));
        assertRefused(409, "release.duplicate", http.send("POST", rollback + "?targetPath=" + good, admin));
        assertRefused(400, "release.invalid-path", http.send("POST", rollback + "?targetPath=../x.bin", admin));
        HttpResponse<byte[]> named = http.send("POST", rollback + "?targetPath=lock-fw/director-" + run + "-back.bin",
                admin);
        assertEquals(201, named.statusCode(), Http.text(named));
        assertEquals(8, number(json(named), "releaseCounter"));
        assertTrue(ItAudit.has(http, "release.rollback", e -> e.outcome().equals("FAILED")
                && e.detail().contains("release.not-found")), "refused rollbacks are audited");
    }

    private HttpResponse<byte[]> uploadWithCounterParameter(String[] admin, String path, Long releaseCounter) {
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=1.5.0"
                + "&hardwareId=" + hardware + (releaseCounter == null ? "" : "&releaseCounter=" + releaseCounter),
                ("bad " + path).getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        return r;
    }

    private Signed<Targets> verifiedDirectorTargets(String deviceId, String token, long timestampVersion) {
        byte[] root = http.get("/director/root/1.root.json").body();
        TrustedMetadataSet trusted = new TrustedMetadataSet(root, Instant.now());
        HttpResponse<byte[]> next = getWithToken(deviceId, "2.root.json", token);
        assertEquals(404, next.statusCode(), "one director root version so far");
        HttpResponse<byte[]> ts = getWithToken(deviceId, "timestamp.json", token);
        assertEquals(200, ts.statusCode(), Http.text(ts));
        trusted.updateTimestamp(ts.body());
        Timestamp timestamp = trusted.timestamp().orElseThrow().signed();
        assertEquals(timestampVersion, timestamp.version());
        HttpResponse<byte[]> snapshot = getWithToken(deviceId, timestamp.snapshotMeta().version() + ".snapshot.json", token);
        assertEquals(200, snapshot.statusCode(), Http.text(snapshot));
        long targetsVersion = trusted.updateSnapshot(snapshot.body(), false).signed().metaFor("targets").version();
        HttpResponse<byte[]> targets = getWithToken(deviceId, targetsVersion + ".targets.json", token);
        assertEquals(200, targets.statusCode(), Http.text(targets));
        Signed<Targets> verified = trusted.updateTargets(targets.body());
        assertTrue(verified.signed().delegations().isEmpty());
        return verified;
    }

    private TargetFile imageRepositoryTarget(String path) throws IOException {
        return ItImageRepository.refreshed(http, Files.createTempDirectory("director-it-image")).findTarget(path);
    }

    private HttpResponse<byte[]> getWithToken(String deviceId, String file, String token) {
        return http.get("/director/" + deviceId + "/metadata/" + file, "Authorization", "Bearer " + token);
    }

    private HttpResponse<byte[]> assign(String[] admin, String deviceId, String path) {
        return http.postJson("/portal/api/v1/assignments",
                "{\"deviceId\":\"" + deviceId + "\",\"targetPath\":\"" + path + "\"}", admin);
    }

    private HttpResponse<byte[]> upload(String[] admin, String path, String hardwareId, long releaseCounter, byte[] body) {
        String custom = URLEncoder.encode("{\"releaseCounter\":" + releaseCounter + "}", StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=1.5.0"
                + "&hardwareId=" + hardwareId + "&custom=" + custom, body, admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        return r;
    }

    private TestDevice enrolled(String[] admin, String id) {
        HttpResponse<byte[]> t = http.postJson("/portal/api/v1/enrollment-tokens", "{\"hardwareIds\":[\"" + hardware
                + "\"],\"maxUses\":1,\"validityHours\":24,\"autoAccept\":true}", admin);
        assertEquals(201, t.statusCode(), Http.text(t));
        TestDevice device = new TestDevice(id, hardware);
        HttpResponse<byte[]> enrolled = device.enroll(http, string(json(t), "token"));
        assertEquals(201, enrolled.statusCode(), Http.text(enrolled));
        return device;
    }

    private static void assertRefused(int status, HttpResponse<byte[]> r) {
        assertEquals(status, r.statusCode(), Http.text(r));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), Http.text(r));
        assertTrue(string(json(r), "code") != null, Http.text(r));
    }

    private static void assertRefused(int status, String code, HttpResponse<byte[]> r) {
        assertRefused(status, r);
        assertEquals(code, string(json(r), "code"), Http.text(r));
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    private static JsonObject object(JsonObject o, String name) {
        return (JsonObject) o.get(name);
    }

    private static String string(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof JsonValue.JsonString s ? s.value() : null;
    }

    private static long number(JsonObject o, String name) {
        return ((JsonValue.JsonNumber) o.get(name)).value().longValueExact();
    }
}
