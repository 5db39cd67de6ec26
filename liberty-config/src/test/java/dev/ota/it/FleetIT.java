package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.protocol.Envelope;
import dev.ota.protocol.Report;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fleet over real HTTP (device-api.md): devices built from device-protocol and tuf-core enroll, check in,
 * back up their configuration and rotate their keys; an administrator provisions them through the management
 * API. Every refused request is checked to have changed nothing, through the device as the server shows it.
 */
@ExtendWith(ArquillianExtension.class)
class FleetIT {
    private static final String HARDWARE = "lock-v2";
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void autoAcceptedDeviceChecksInResendGetsTheSameAnswerAndReportsAreStoredOnce() {
        String[] admin = ItAccounts.admin(http);
        String token = token(admin, true, 5, HARDWARE);
        TestDevice device = new TestDevice(uniqueId("lock"), HARDWARE);

        HttpResponse<byte[]> enrolled = device.enroll(http, token);
        HttpResponse<byte[]> again = device.enroll(http, token);

        assertEquals(201, enrolled.statusCode(), Http.text(enrolled));
        assertEquals("ACCEPTED", string(json(enrolled), "status"));
        assertTrue(number(json(enrolled), "pollAfterSeconds") > 0);
        assertEquals(200, again.statusCode(), Http.text(again));
        assertEquals("ACCEPTED", string(json(again), "status"));

        // A first check-in with two reports of one action, then the very same bytes again (a lost reply).
        byte[] first = device.nextCheckin(List.of(TestDevice.report("a-9", 1, Report.State.DOWNLOADING),
                TestDevice.report("a-9", 2, Report.State.DOWNLOADED)), null);
        HttpResponse<byte[]> answered = device.checkin(http, first);
        HttpResponse<byte[]> resent = device.checkin(http, first);

        assertEquals(200, answered.statusCode(), Http.text(answered));
        JsonObject answer = json(answered);
        assertEquals(2, number(object(answer, "ackedReports"), "a-9"));
        assertEquals(0, number(object(answer, "director"), "timestampVersion"));
        assertNotNull(string(answer, "token"));
        assertNotNull(string(answer, "tokenExpires"));
        long poll = number(answer, "pollAfterSeconds");
        assertTrue(poll >= 270 && poll <= 330, "poll " + poll);
        assertEquals(200, resent.statusCode(), Http.text(resent));
        assertArrayEquals(answered.body(), resent.body(), "a byte-identical resend gets the same 200");

        // The next check-in repeats seq 2 (not yet dropped by the device) and adds seq 3.
        HttpResponse<byte[]> second = device.checkin(http, device.nextCheckin(List.of(
                TestDevice.report("a-9", 2, Report.State.DOWNLOADED), TestDevice.report("a-9", 3, Report.State.INSTALLING)), null));

        assertEquals(200, second.statusCode(), Http.text(second));
        assertEquals(3, number(object(json(second), "ackedReports"), "a-9"));
        JsonObject shown = device(admin, device.id);
        assertEquals("ACCEPTED", string(shown, "status"));
        assertEquals(HARDWARE, string(shown, "hardwareId"));
        assertEquals("idle", string(shown, "state"));
        assertEquals(2, number(shown, "lastCounter"));
        assertNotNull(string(shown, "lastCheckin"));
        JsonObject installed = object(object(object(shown, "ecus"), device.id), "installed");
        assertEquals("lock-fw/1.4.0.bin", string(installed, "filepath"));
        assertEquals(41, number(installed, "releaseCounter"));
        List<JsonValue> reports = ((JsonValue.JsonArray) shown.get("reports")).elements();
        assertEquals(3, reports.size(), "seq 1, 2 and 3 once each: " + reports);
    }

    @Test
    void replayedReorderedForgedOversizedAndMalformedCheckinsAreRefusedAndChangeNothing() {
        String[] admin = ItAccounts.admin(http);
        TestDevice device = new TestDevice(uniqueId("lock"), HARDWARE);
        assertEquals(201, device.enroll(http, token(admin, true, 1, HARDWARE)).statusCode());
        device.counter = 10;
        assertEquals(200, device.checkin(http).statusCode());
        String before = CanonicalJson.encodeToString(device(admin, device.id));

        // The last accepted counter (11) again, in other bytes: a replay, not a resend.
        byte[] sameCounter = dev.ota.protocol.Envelope.sign(new dev.ota.protocol.Checkin(device.id, 11,
                TestDevice.TIME, dev.ota.protocol.Checkin.DeviceState.BUSY, java.util.Optional.empty(), java.util.Map.of(),
                java.util.OptionalLong.empty(), List.of(TestDevice.report("x-1", 1, Report.State.ASSIGNED)),
                java.util.Optional.empty()), device.key).toBytes();
        assertRefused(409, "checkin.replayed", device.checkin(http, sameCounter));
        device.counter = 4;
        assertRefused(409, "checkin.replayed", device.checkin(http), "reordered (lower counter)");

        TestDevice stranger = new TestDevice(device.id, HARDWARE);
        stranger.counter = 50;
        assertRefused(401, "device.bad-signature", stranger.checkin(http), "signed by another key");
        byte[] tampered = device.nextCheckin(List.of(), null);
        String text = new String(tampered, StandardCharsets.UTF_8).replace("\"idle\"", "\"busy\"");
        assertRefused(401, "device.bad-signature", device.checkin(http, text.getBytes(StandardCharsets.UTF_8)), "altered after signing");
        TestDevice unknown = new TestDevice(uniqueId("ghost"), HARDWARE);
        assertRefused(401, "device.unknown", unknown.checkin(http));

        device.counter = 60;
        assertRefused(400, "checkin.malformed", TestDevice.post(http, "/devices/v1/" + uniqueId("other") + "/checkins",
                device.nextCheckin(List.of(), null)), "deviceId differs from the path");
        assertRefused(400, "checkin.malformed", device.checkin(http, "{\"signed\": ".getBytes(StandardCharsets.UTF_8)));
        assertRefused(400, "checkin.malformed", device.checkin(http,
                "{\"signed\":{\"_type\":\"checkin\"},\"signatures\":[]}".getBytes(StandardCharsets.UTF_8)));
        // U+0000 signed into a text field: PostgreSQL stores no such character, so it must be refused before storing.
        byte[] nul = dev.ota.protocol.Envelope.sign(new dev.ota.protocol.Checkin(device.id, 61, TestDevice.TIME,
                dev.ota.protocol.Checkin.DeviceState.BUSY, java.util.Optional.of("door\0open"), java.util.Map.of(),
                java.util.OptionalLong.empty(), List.of(), java.util.Optional.empty()), device.key).toBytes();
        assertRefused(400, "checkin.malformed", device.checkin(http, nul), "U+0000 in stateReason");
        String escaped = new String(device.nextCheckin(List.of(), null), StandardCharsets.UTF_8)
                .replace("door closed", "door\\u0000closed");
        assertRefused(400, "checkin.malformed", device.checkin(http, escaped.getBytes(StandardCharsets.UTF_8)),
                "U+0000 written as an escape");
        byte[] huge = new byte[64 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertRefused(413, "request.too-large", device.checkin(http, huge));
        assertRefused(413, "request.too-large", http.sendChunked("POST", "/devices/v1/" + device.id + "/checkins", huge,
                new String[0]), "chunked, no Content-Length");

        assertEquals(before, CanonicalJson.encodeToString(device(admin, device.id)),
                "refused check-ins changed nothing");
        device.counter = 11;
        assertEquals(200, device.checkin(http).statusCode(), "the next counter is still accepted");
    }

    @Test
    void anEnrollmentSentAgainWhileItsFirstCopyIsHandledIsAnsweredAsTheSameRequestNotAsAUsedUpToken() throws Exception {
        // A device retrying after its own timeout while the server still handles the first copy: device-api.md says
        // the same request again gets 200, so neither copy may be told its token is used up or its id taken.
        String[] admin = ItAccounts.admin(http);
        List<TestDevice> devices = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        String shared = token(admin, true, 4, HARDWARE);
        for (int i = 0; i < 8; i++) {
            devices.add(new TestDevice(uniqueId("twice"), HARDWARE));
            tokens.add(i < 4 ? token(admin, true, 1, HARDWARE) : shared);
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<Future<HttpResponse<byte[]>>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < devices.size(); i++) {
                byte[] body = devices.get(i).enrollment(tokens.get(i));
                for (int copy = 0; copy < 2; copy++) {
                    sent.add(threads.submit(() -> {
                        go.await();
                        return TestDevice.post(http, "/devices/v1/enrollments", body);
                    }));
                }
            }
            go.countDown();
            for (int i = 0; i < devices.size(); i++) {
                List<Integer> statuses = new ArrayList<>();
                for (int copy = 0; copy < 2; copy++) {
                    HttpResponse<byte[]> r = sent.get(2 * i + copy).get(60, TimeUnit.SECONDS);
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 200 || r.statusCode() == 201) assertEquals("ACCEPTED", string(json(r), "status"));
                }
                java.util.Collections.sort(statuses);
                assertEquals(List.of(200, 201), statuses, "device " + i + ": one enrollment, one repeat");
            }
        } finally {
            threads.shutdownNow();
        }
        assertRefused(403, "enrollment.token-refused", new TestDevice(uniqueId("fifth"), HARDWARE).enroll(http, shared),
                "the shared token was used once per device, four times");
    }

    @Test
    void racingCheckinsWithOneCounterAcceptExactlyOneAndStoreOnlyItsReport() throws Exception {
        // Arrange: one accepted device and twelve different check-ins that all carry counter 1, each its own report.
        String[] admin = ItAccounts.admin(http);
        TestDevice device = new TestDevice(uniqueId("race"), HARDWARE);
        assertEquals(201, device.enroll(http, token(admin, true, 1, HARDWARE)).statusCode());
        int racers = 12;
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            bodies.add(Envelope.sign(device.checkinDocument(1,
                    List.of(TestDevice.report("race", i + 1, Report.State.ASSIGNED)), null), device.key).toBytes());
        }

        // Act: all sent at once, each on its own thread and connection.
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(racers);
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        try {
            List<Future<HttpResponse<byte[]>>> sent = new ArrayList<>();
            for (byte[] body : bodies) {
                sent.add(threads.submit(() -> {
                    go.await();
                    return device.checkin(http, body);
                }));
            }
            go.countDown();
            for (Future<HttpResponse<byte[]>> f : sent) {
                answers.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }

        // Assert: one 200, every other a 409 checkin.replayed, and only the winner's report stored.
        int winner = -1;
        for (int i = 0; i < racers; i++) {
            if (answers.get(i).statusCode() == 200) {
                assertEquals(-1, winner, "a second check-in with counter 1 was accepted");
                winner = i;
            } else {
                assertRefused(409, "checkin.replayed", answers.get(i), "racer " + i);
            }
        }
        assertTrue(winner >= 0, "none of the racing check-ins was accepted");
        assertEquals(winner + 1, number(object(json(answers.get(winner)), "ackedReports"), "race"));
        assertEquals(1, number(device(admin, device.id), "lastCounter"));
        HttpResponse<byte[]> history = http.get("/portal/api/v1/devices/" + device.id + "/reports", admin);
        assertEquals(200, history.statusCode(), Http.text(history));
        List<JsonValue> stored = ((JsonValue.JsonArray) json(history).get("reports")).elements();
        assertEquals(1, stored.size(), "only the accepted check-in's report: " + stored);
        assertEquals(winner + 1, number((JsonObject) stored.get(0), "seq"));
    }

    @Test
    void pendingDeviceIsRefusedUntilAcceptedRejectedAndDecommissionedDevicesAreRefused() {
        String[] admin = ItAccounts.admin(http);
        String token = token(admin, false, 3, HARDWARE);
        TestDevice pending = new TestDevice(uniqueId("pend"), HARDWARE);
        TestDevice rejected = new TestDevice(uniqueId("rej"), HARDWARE);

        HttpResponse<byte[]> enrolled = pending.enroll(http, token);
        assertEquals(201, enrolled.statusCode(), Http.text(enrolled));
        assertEquals("PENDING", string(json(enrolled), "status"));
        assertRefused(403, "device.pending", pending.checkin(http));
        HttpResponse<byte[]> accepted = http.send("POST", "/portal/api/v1/devices/" + pending.id + "/accept", admin);
        assertEquals(200, accepted.statusCode(), Http.text(accepted));
        assertEquals("ACCEPTED", string(json(pending.enroll(http, token)), "status"));
        HttpResponse<byte[]> checkedIn = pending.checkin(http);
        assertEquals(200, checkedIn.statusCode(), Http.text(checkedIn));

        assertEquals(201, rejected.enroll(http, token).statusCode());
        assertEquals(200, http.send("POST", "/portal/api/v1/devices/" + rejected.id + "/reject", admin).statusCode());
        assertRefused(403, "device.rejected", rejected.checkin(http));
        assertRefused(403, "device.rejected", rejected.enroll(http, token));

        String bearer = string(json(checkedIn), "token");
        assertEquals(200, http.send("POST", "/portal/api/v1/devices/" + pending.id + "/decommission", admin).statusCode());
        assertRefused(403, "device.decommissioned", pending.checkin(http));
        assertRefused(401, "device.token-invalid", http.get("/devices/v1/" + pending.id + "/config", Http.bearer(bearer)),
                "a decommissioned device's token ends");
        assertEquals("DECOMMISSIONED", string(device(admin, pending.id), "status"));
    }

    @Test
    void acceptRejectAndDecommissionAnswer200WhenTheDeviceIsAlreadyInThatStatusAnd409OnlyWhenTheyDoNotApply() {
        // device-api.md, "Management calls": accept, reject and decommission -> 200; a harness accepts every device
        // it enrolled, auto-accepted ones too, and repeats a call whose answer it lost.
        String[] admin = ItAccounts.admin(http);
        TestDevice accepted = new TestDevice(uniqueId("again"), HARDWARE);
        assertEquals(201, accepted.enroll(http, token(admin, true, 1, HARDWARE)).statusCode());
        TestDevice rejected = new TestDevice(uniqueId("again"), HARDWARE);
        assertEquals(201, rejected.enroll(http, token(admin, false, 1, HARDWARE)).statusCode());
        assertEquals(200, http.send("POST", "/portal/api/v1/devices/" + rejected.id + "/reject", admin).statusCode());

        HttpResponse<byte[]> rejectedAgain = http.send("POST", "/portal/api/v1/devices/" + rejected.id + "/reject", admin);
        assertEquals(200, rejectedAgain.statusCode(), "device-api.md: reject answers 200, also when already done");
        assertEquals("REJECTED", string(json(rejectedAgain), "status"));
        HttpResponse<byte[]> acceptedAgain = http.send("POST", "/portal/api/v1/devices/" + accepted.id + "/accept", admin);
        assertEquals(200, acceptedAgain.statusCode(), Http.text(acceptedAgain));
        assertEquals("ACCEPTED", string(json(acceptedAgain), "status"));
        assertEquals(200, http.send("POST", "/portal/api/v1/devices/" + accepted.id + "/decommission", admin).statusCode());
        assertEquals(200, http.send("POST", "/portal/api/v1/devices/" + accepted.id + "/decommission", admin).statusCode(),
                "a decommission repeated after a lost answer is answered as done");
        assertRefused(409, "device.wrong-status", http.send("POST", "/portal/api/v1/devices/" + accepted.id + "/accept", admin));
    }

    @Test
    void enrollmentIsRefusedForABadSignatureUnknownRevokedUsedUpOrWrongHardwareTokenAndAnotherKey() {
        String[] admin = ItAccounts.admin(http);
        String token = token(admin, true, 1, HARDWARE);
        TestDevice device = new TestDevice(uniqueId("enr"), HARDWARE);

        byte[] forged = new String(device.enrollment(token), StandardCharsets.UTF_8).replace("1.4.0", "6.6.6")
                .getBytes(StandardCharsets.UTF_8);
        assertRefused(401, "device.bad-signature", TestDevice.post(http, "/devices/v1/enrollments", forged));
        assertRefused(403, "enrollment.token-refused", device.enroll(http, "no-such-token"));
        assertRefused(403, "enrollment.token-refused", new TestDevice(uniqueId("enr"), "lock-v1").enroll(http, token));
        assertRefused(400, "enrollment.malformed", TestDevice.post(http, "/devices/v1/enrollments",
                "[]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(404, http.get("/portal/api/v1/devices/" + device.id, admin).statusCode(), "nothing enrolled yet");

        assertEquals(201, device.enroll(http, token).statusCode());
        assertRefused(403, "enrollment.token-refused", new TestDevice(uniqueId("enr"), HARDWARE).enroll(http, token),
                "used up");
        TestDevice impostor = new TestDevice(device.id, HARDWARE);
        assertRefused(409, "enrollment.device-exists", impostor.enroll(http, token(admin, true, 1, HARDWARE)));

        String revoked = token(admin, true, 5, HARDWARE);
        HttpResponse<byte[]> list = http.get("/portal/api/v1/enrollment-tokens", admin);
        assertEquals(200, list.statusCode(), Http.text(list));
        assertFalse(Http.text(list).contains(revoked), "the list holds no secret");
        long id = ((JsonValue.JsonArray) json(list).get("tokens")).elements().stream().map(v -> (JsonObject) v)
                .mapToLong(o -> number(o, "id")).max().getAsLong();
        assertEquals(200, http.send("DELETE", "/portal/api/v1/enrollment-tokens/" + id, admin).statusCode());
        assertRefused(403, "enrollment.token-refused", new TestDevice(uniqueId("enr"), HARDWARE).enroll(http, revoked));
    }

    @Test
    void keyRotationNeedsBothKeysAndAHigherCounterAndAnAdministratorMayReplaceAKey() {
        String[] admin = ItAccounts.admin(http);
        TestDevice device = new TestDevice(uniqueId("rot"), HARDWARE);
        assertEquals(201, device.enroll(http, token(admin, true, 1, HARDWARE)).statusCode());
        assertEquals(200, device.checkin(http).statusCode());
        SigningKey next = SigningKey.generate();

        assertRefused(401, "device.bad-signature", post(device, "keys", device.rotation(next, 5, next)), "new key only");
        assertRefused(401, "device.bad-signature", post(device, "keys", device.rotation(next, 5, device.key)), "old key only");
        assertRefused(409, "key-rotation.replayed", post(device, "keys", device.rotation(next, 1, device.key, next)));
        HttpResponse<byte[]> rotated = post(device, "keys", device.rotation(next, 5, device.key, next));

        assertEquals(200, rotated.statusCode(), Http.text(rotated));
        assertEquals(next.publicKey().keyId(), string(device(admin, device.id), "keyId"));
        device.counter = 5;
        assertRefused(401, "device.bad-signature", device.checkin(http), "the old key no longer signs");
        device.key = next;
        device.counter = 5;
        HttpResponse<byte[]> afterRotation = device.checkin(http);
        assertEquals(200, afterRotation.statusCode());
        String bearer = string(json(afterRotation), "token");
        assertRefused(404, "config.none", http.get("/devices/v1/" + device.id + "/config", Http.bearer(bearer)),
                "the token opens the device's GETs");

        SigningKey replacement = SigningKey.generate();
        HttpResponse<byte[]> replaced = http.sendBytes("PUT", "/portal/api/v1/devices/" + device.id + "/key",
                "application/json", ("{\"publicKey\":" + CanonicalJson.encodeToString(replacement.publicKey().toJson()) + "}")
                        .getBytes(StandardCharsets.UTF_8), admin);
        assertEquals(200, replaced.statusCode(), Http.text(replaced));
        assertRefused(401, "device.token-invalid", http.get("/devices/v1/" + device.id + "/config", Http.bearer(bearer)),
                "a replaced key's tokens end");
        assertRefused(401, "device.token-invalid", http.get("/director/" + device.id + "/metadata/timestamp.json",
                Http.bearer(bearer)), "for the director as well");
        assertRefused(401, "device.bad-signature", device.checkin(http));
        device.key = replacement;
        device.counter = 0;
        assertEquals(200, device.checkin(http).statusCode(), "a replaced device starts its counter over");
        assertRefused(400, "device.key-invalid", http.sendBytes("PUT", "/portal/api/v1/devices/" + device.id + "/key",
                "application/json", "{\"publicKey\":{\"keytype\":\"ed25519\"}}".getBytes(StandardCharsets.UTF_8), admin));
    }

    @Test
    void configurationVersionsAreKeptAndTheLastIsReturnedAsSentToTheBearerOfTheDevicesToken() {
        String[] admin = ItAccounts.admin(http);
        TestDevice device = new TestDevice(uniqueId("cfg"), HARDWARE);
        TestDevice other = new TestDevice(uniqueId("cfg"), HARDWARE);
        String token = token(admin, true, 2, HARDWARE);
        assertEquals(201, device.enroll(http, token).statusCode());
        assertEquals(201, other.enroll(http, token).statusCode());

        HttpResponse<byte[]> asked = device.checkin(http, device.nextCheckin(List.of(), 2L));
        assertEquals(200, asked.statusCode(), Http.text(asked));
        assertEquals("{\"upload\":true,\"version\":0}", CanonicalJson.encodeToString(object(json(asked), "config")));
        String bearer = string(json(asked), "token");
        assertRefused(404, "config.none", http.get("/devices/v1/" + device.id + "/config", Http.bearer(bearer)));

        byte[] v1 = device.config(1, "front door");
        byte[] v2 = device.config(2, "front door, north");
        assertEquals(200, put(device, v1).statusCode());
        assertRefused(409, "config.stale", put(device, v1));
        assertEquals(200, put(device, v2).statusCode());
        assertRefused(409, "config.stale", put(device, device.config(1, "older")));
        byte[] byOther = dev.ota.protocol.Envelope.sign(new dev.ota.protocol.ConfigBackup(device.id, 3,
                JsonValue.obj("name", JsonValue.of("x"))), other.key).toBytes();
        assertRefused(401, "device.bad-signature", put(device, byOther), "another device's key");

        HttpResponse<byte[]> restored = http.get("/devices/v1/" + device.id + "/config", Http.bearer(bearer));
        assertEquals(200, restored.statusCode(), Http.text(restored));
        assertArrayEquals(v2, restored.body(), "the last version exactly as the device sent it");
        assertRefused(401, "device.token-missing", http.get("/devices/v1/" + device.id + "/config"));
        assertRefused(401, "device.token-invalid", http.get("/devices/v1/" + device.id + "/config", Http.bearer("nope")));
        HttpResponse<byte[]> otherCheckin = other.checkin(http);
        assertRefused(401, "device.token-invalid", http.get("/devices/v1/" + device.id + "/config",
                Http.bearer(string(json(otherCheckin), "token"))), "another device's token");

        HttpResponse<byte[]> after = device.checkin(http, device.nextCheckin(List.of(), 2L));
        assertEquals("{\"upload\":false,\"version\":2}", CanonicalJson.encodeToString(object(json(after), "config")));
        assertEquals(2, ((JsonValue.JsonArray) device(admin, device.id).get("configVersions")).elements().size());
    }

    @Test
    void readersSeeDevicesButOnlyAnAdministratorChangesThem() {
        String[] admin = ItAccounts.admin(http);
        String user = "fleet-reader-" + UUID.randomUUID().toString().substring(0, 8);
        String[] reader = Http.basic(user, ItAccounts.createWithPassword(http, user, "release-manager"));
        TestDevice device = new TestDevice(uniqueId("ro"), HARDWARE);
        assertEquals(201, device.enroll(http, token(admin, false, 1, HARDWARE)).statusCode());

        assertEquals(200, http.get("/portal/api/v1/devices/" + device.id, reader).statusCode());
        assertEquals(403, http.send("POST", "/portal/api/v1/devices/" + device.id + "/accept", reader).statusCode());
        assertEquals(403, http.postJson("/portal/api/v1/enrollment-tokens", "{\"maxUses\":1}", reader).statusCode());
        assertEquals(401, http.send("POST", "/portal/api/v1/devices/" + device.id + "/accept", new String[0]).statusCode());
        assertEquals("PENDING", string(device(admin, device.id), "status"));
        assertRefused(400, "request.malformed", http.postJson("/portal/api/v1/enrollment-tokens", "{\"maxUses\":\"1\"}", admin));
        assertRefused(400, "enrollment-token.invalid", http.postJson("/portal/api/v1/enrollment-tokens", "{\"maxUses\":0}", admin));

        String audit = Http.text(http.get("/portal/api/v1/audit?limit=50", admin));
        assertTrue(audit.contains("auth.forbidden") && audit.contains(device.id), "the refused accept is audited");
        assertTrue(audit.contains("enrollment-token.create"), audit);
    }

    private HttpResponse<byte[]> post(TestDevice device, String what, byte[] body) {
        return TestDevice.post(http, "/devices/v1/" + device.id + "/" + what, body);
    }

    private HttpResponse<byte[]> put(TestDevice device, byte[] body) {
        return http.sendBytes("PUT", "/devices/v1/" + device.id + "/config", "application/json", body, new String[0]);
    }

    private String token(String[] admin, boolean autoAccept, int maxUses, String hardwareId) {
        HttpResponse<byte[]> r = http.postJson("/portal/api/v1/enrollment-tokens", "{\"hardwareIds\":[\"" + hardwareId
                + "\"],\"maxUses\":" + maxUses + ",\"validityHours\":24,\"autoAccept\":" + autoAccept + "}", admin);
        assertEquals(201, r.statusCode(), Http.text(r));
        return string(json(r), "token");
    }

    private JsonObject device(String[] admin, String id) {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/devices/" + id, admin);
        assertEquals(200, r.statusCode(), Http.text(r));
        return json(r);
    }

    private static void assertRefused(int status, String code, HttpResponse<byte[]> r, String... why) {
        String where = String.join(" ", why) + " " + Http.text(r);
        assertEquals(status, r.statusCode(), where);
        assertEquals(code, string(json(r), "code"), where);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), where);
    }

    private static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
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
