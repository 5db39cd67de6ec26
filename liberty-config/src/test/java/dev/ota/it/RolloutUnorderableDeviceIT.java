package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.protocol.Checkin;
import dev.ota.protocol.Envelope;
import dev.ota.protocol.Report;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A device whose ordering throws something other than the director's refusal must not stop a rollout: the batch it
 * is in rolls back, the scheduler orders that batch's devices one per transaction, and the one whose own transaction
 * fails is SKIPPED and audited. The trigger is one a device can cause today through the device API: a check-in whose
 * ECU report carries a control character (escaped, valid JSON) is accepted and its {@code ecus} stored in canonical
 * form, which keeps control characters raw, so reading them back for an order fails (invalid JSON). The ITs order
 * three devices per transaction (OTA_ROLLOUT_ORDER_BATCH in the pom).
 */
@ExtendWith(ArquillianExtension.class)
class RolloutUnorderableDeviceIT {
    private static final String API = "/portal/api/v1/rollouts";
    private final Http http = new Http();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String hardware = "lock-uo-" + run;
    private final String path = "lock-fw/unorderable-" + run + "-1.5.0.bin";
    private final String[] admin = ItAccounts.admin(http);

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    /**
     * A canary of one, then a wave of four started by the scheduler's tick: the second of them (by device id, the
     * batches' order) cannot be ordered. The wave still starts, its other three are ordered, the fourth is SKIPPED
     * with an audit entry naming it and the error, and the rollout completes once the three succeeded.
     */
    @Test
    void aDeviceWhoseOrderingFailsIsSkippedAndAuditedAndTheRolloutGoesOn() {
        ItFleet.upload(http, admin, path, hardware, 42, ("firmware " + run).getBytes(StandardCharsets.UTF_8));
        List<TestDevice> devices = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestDevice d = ItFleet.enrolled(http, admin, "uo-" + run + "-" + i, hardware);
            assertEquals(200, d.checkin(http).statusCode());
            devices.add(d);
        }
        String id = startedRollout("\"canary\":1,\"waves\":[100],\"successPct\":100,\"soakMinutes\":0");
        List<TestDevice> canary = devices.stream().filter(d -> orders(id, d) == 1).toList();
        assertEquals(1, canary.size(), "the start ordered the canary");
        List<TestDevice> wave = devices.stream().filter(d -> !canary.contains(d))
                .sorted(Comparator.comparing(d -> d.id)).toList();
        TestDevice unorderable = wave.get(1);

        HttpResponse<byte[]> poisoned = unorderable.checkin(http, Envelope.sign(new Checkin(unorderable.id,
                ++unorderable.counter, TestDevice.TIME, Checkin.DeviceState.IDLE, Optional.empty(),
                Map.of(unorderable.id, new Checkin.Ecu(hardware, Optional.empty(),
                        "rollback-attack: 1 refused\nfreeze-attack: 0 refused")), OptionalLong.of(0), List.of(),
                Optional.empty()), unorderable.key).toBytes());
        assertEquals(200, poisoned.statusCode(), "the device API accepts the check-in: " + Http.text(poisoned));

        report(canary.get(0), Report.State.SUCCEEDED);
        JsonObject done = until(id, r -> number(waves(r).get(1), "members") == 3
                && wave.stream().filter(d -> d != unorderable).allMatch(d -> orders(id, d) == 1));
        assertEquals("ACTIVE", string(waves(done).get(1), "state"), "the tick started the wave");
        assertEquals(0, orders(id, unorderable), "the device that cannot be ordered got no order");
        List<ItAudit.Entry> skipped = ItAudit.of(http, "rollout.device-skipped", id);
        assertEquals(1, skipped.size(), skipped.toString());
        assertEquals("FAILED", skipped.get(0).outcome());
        assertTrue(skipped.get(0).detail().contains("device " + unorderable.id) && skipped.get(0).detail()
                .contains("MalformedMetadataException"), skipped.get(0).detail());
        assertFalse(skipped.get(0).detail().contains("\n"), "one line: " + skipped.get(0).detail());

        for (TestDevice d : wave) {
            if (d != unorderable) {
                report(d, Report.State.SUCCEEDED);
            }
        }
        JsonObject completed = until(id, r -> string(r, "state").equals("COMPLETED"));
        assertEquals("PASSED", string(waves(completed).get(1), "state"));
        assertEquals(3, number(waves(completed).get(1), "succeeded"));
        for (TestDevice d : devices) {
            assertTrue(orders(id, d) <= 1, d.id + " was ordered at most once");
        }
    }

    /** The rollout's orders of the device (the director's audit entries under the rollout as actor). */
    private long orders(String rolloutId, TestDevice device) {
        return ItAudit.of(http, "assignment.create", device.id).stream()
                .filter(e -> e.actor().equals("rollout:" + rolloutId)).count();
    }

    private String startedRollout(String fields) {
        String[] creator = account("rm-a-" + run);
        String[] approver = account("rm-b-" + run);
        HttpResponse<byte[]> created = http.postJson(API, "{\"name\":\"fw " + run + "\",\"targetPath\":\"" + path
                + "\",\"filter\":{\"hardwareId\":\"" + hardware + "\"}," + fields + "}", creator);
        assertEquals(201, created.statusCode(), Http.text(created));
        String id = string(json(created), "id");
        ok(http.send("POST", API + "/" + id + "/submit", creator));
        ok(http.send("POST", API + "/" + id + "/approve", approver));
        assertEquals("RUNNING", string(json(ok(http.send("POST", API + "/" + id + "/start", creator))), "state"));
        return id;
    }

    /** The device reports its order of the release (action id from its director targets) in a signed check-in. */
    private void report(TestDevice device, Report.State state) {
        JsonObject answer = json(device.checkin(http));
        String token = string(answer, "token");
        JsonObject ts = signed(director(device, "timestamp.json", token));
        long snapshot = number((JsonObject) ((JsonObject) ts.get("meta")).get("snapshot.json"), "version");
        JsonObject sn = signed(director(device, snapshot + ".snapshot.json", token));
        long targets = number((JsonObject) ((JsonObject) sn.get("meta")).get("targets.json"), "version");
        JsonObject target = (JsonObject) ((JsonObject) signed(director(device, targets + ".targets.json", token))
                .get("targets")).get(path);
        assertTrue(target != null, device.id + " has no order of " + path);
        String actionId = string((JsonObject) target.get("custom"), "actionId");
        HttpResponse<byte[]> r = device.checkin(http, device.nextCheckin(
                List.of(new Report(actionId, 1, state, TestDevice.TIME, "")), null));
        assertEquals(200, r.statusCode(), Http.text(r));
    }

    private HttpResponse<byte[]> director(TestDevice device, String file, String token) {
        HttpResponse<byte[]> r = http.get("/director/" + device.id + "/metadata/" + file, "Authorization",
                "Bearer " + token);
        assertEquals(200, r.statusCode(), Http.text(r));
        return r;
    }

    /** The rollout once {@code done} holds: the scheduler decides every second of real time, so at most a minute. */
    private JsonObject until(String id, Predicate<JsonObject> done) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonObject r = json(ok(http.get(API + "/" + id, admin)));
        while (!done.test(r)) {
            assertTrue(System.nanoTime() < deadline, "the scheduler did not get there: " + r);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            r = json(ok(http.get(API + "/" + id, admin)));
        }
        return r;
    }

    private String[] account(String user) {
        return Http.basic(user, ItAccounts.createWithPassword(http, user, "release-manager"));
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
