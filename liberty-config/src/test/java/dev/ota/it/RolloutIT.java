package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rollouts through the management API over real HTTP (device-api.md, "Management calls"; fleet.md, "Rollouts"):
 * four-eyes approval bound to the definition hash, every transition and refusal audited, invalid definitions
 * refused by field, and a start that plans the waves and has the director order the canary.
 */
@ExtendWith(ArquillianExtension.class)
class RolloutIT {
    private static final String HARDWARE = "lock-v2";
    private static final String API = "/portal/api/v1/rollouts";
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void aSecondReleaseManagerApprovesTheExactDefinitionAndTheCreatorCannot() {
        String run = run();
        String[] creator = releaseManager("rm-creator-" + run);
        String[] approver = releaseManager("rm-approver-" + run);
        String[] auditor = account("auditor-" + run, "auditor");

        HttpResponse<byte[]> created = http.postJson(API, "{\"name\":\"fw " + run + "\",\"targetPath\":\"lock-fw/"
                + run + ".bin\",\"filter\":{\"hardwareId\":\"" + HARDWARE + "\"},\"canary\":2,\"waves\":[50,100]}",
                creator);
        assertEquals(201, created.statusCode(), Http.text(created));
        JsonObject rollout = json(created);
        String id = string(rollout, "id");
        assertEquals("DRAFT", string(rollout, "state"));
        List<JsonObject> waves = waves(rollout);
        assertEquals(3, waves.size(), "the canary and two waves");
        for (JsonObject w : waves) {
            assertEquals("PENDING", string(w, "state"));
            assertEquals(0, number(w, "members"));
            assertEquals(0, number(w, "succeeded"));
            assertEquals(0, number(w, "failed"));
        }
        String hash = string(rollout, "definitionHash");
        assertTrue(hash.startsWith("sha256:"), hash);
        assertEquals(95, number((JsonObject) rollout.get("definition"), "successPct"), "defaults are written out");

        assertEquals(200, http.get(API + "/" + id, auditor).statusCode(), "auditors read");
        assertTrue(Http.text(http.get(API, auditor)).contains(id), "and list");
        assertRefused(403, "auth.forbidden", http.send("POST", API + "/" + id + "/submit", auditor));
        assertRefused(409, "rollout.state-conflict", post(id, "approve", approver));

        assertEquals("AWAITING_APPROVAL", string(json(ok(post(id, "submit", creator))), "state"));
        assertRefused(403, "rollout.approval-own", post(id, "approve", creator));
        assertRefused(409, "rollout.approval-stale", http.send("POST", API + "/" + id
                + "/approve?definitionHash=sha256:" + "0".repeat(64), approver));
        assertEquals("AWAITING_APPROVAL", string(json(http.get(API + "/" + id, auditor)), "state"),
                "refusals change nothing");

        JsonObject approved = json(ok(http.send("POST", API + "/" + id + "/approve?definitionHash=" + hash, approver)));
        assertEquals("SCHEDULED", string(approved, "state"));
        assertEquals("rm-approver-" + run, string(approved, "approvedBy"));
        assertRefused(409, "rollout.state-conflict", post(id, "resume", creator));
        assertEquals("CANCELED", string(json(ok(post(id, "cancel", approver))), "state"));
        assertRefused(409, "rollout.state-conflict", post(id, "start", creator));

        List<ItAudit.Entry> audit = ItAudit.newest(http);
        assertTrue(audit.stream().anyMatch(e -> e.action().equals("rollout.approve") && e.subject().equals(id)
                && e.outcome().equals("DENIED") && e.detail().contains("rollout.approval-own")), "self-approval audited");
        assertTrue(audit.stream().anyMatch(e -> e.action().equals("rollout.approve") && e.subject().equals(id)
                && e.outcome().equals("SUCCESS") && e.detail().contains(hash)), "approval audited with the hash");
        for (String action : List.of("rollout.create", "rollout.submit", "rollout.cancel")) {
            assertTrue(audit.stream().anyMatch(e -> e.action().equals(action) && e.outcome().equals("SUCCESS")), action);
        }
    }

    @Test
    void anInvalidDefinitionIsRefusedByFieldAndStoresNothing() {
        String[] creator = releaseManager("rm-invalid-" + run());
        int before = rollouts(creator);

        HttpResponse<byte[]> budget = http.postJson(API, "{\"name\":\"fw\",\"targetPath\":\"p.bin\",\"filter\":{},"
                + "\"errorBudget\":{\"errorPct\":101}}", creator);
        assertRefused(400, "rollout.invalid", budget);
        assertTrue(string(json(budget), "message").contains("errorBudget.errorPct"), Http.text(budget));
        HttpResponse<byte[]> filter = http.postJson(API, "{\"name\":\"fw\",\"targetPath\":\"p.bin\","
                + "\"filter\":{\"hardwareID\":\"x\"}}", creator);
        assertRefused(400, "rollout.invalid", filter);
        assertTrue(string(json(filter), "message").contains("filter"), Http.text(filter));
        assertRefused(400, "rollout.invalid", http.postJson(API, "{\"name\":\"fw\"", creator));
        assertRefused(404, "rollout.not-found", post("r-nothing", "submit", creator));

        assertEquals(before, rollouts(creator));
        assertTrue(ItAudit.has(http, e -> e.action().equals("rollout.create") && e.outcome().equals("DENIED")
                && e.detail().contains("errorBudget.errorPct")), "refusals are audited");
    }

    @Test
    void startingPlansTheWavesAndTheDirectorOrdersTheCanary() {
        String run = run();
        String hardware = "lock-ro-" + run;
        String[] admin = ItAccounts.admin(http);
        String[] creator = releaseManager("rm-start-" + run);
        String[] approver = releaseManager("rm-start2-" + run);
        String path = "lock-fw/rollout-" + run + "-1.5.0.bin";
        ItFleet.upload(http, admin, path, hardware, 42, ("firmware " + run).getBytes(StandardCharsets.UTF_8));
        List<TestDevice> devices = new ArrayList<>();
        List<Long> before = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestDevice d = ItFleet.enrolled(http, admin, "ro-" + run + "-" + i, hardware);
            devices.add(d);
            before.add(number((JsonObject) json(d.checkin(http)).get("director"), "timestampVersion"));
        }
        String id = string(json(http.postJson(API, "{\"name\":\"fw " + run + "\",\"targetPath\":\"" + path
                + "\",\"filter\":{\"hardwareId\":\"" + hardware + "\"},\"canary\":2,\"waves\":[100]}", creator)), "id");
        ok(post(id, "submit", creator));
        ok(post(id, "approve", approver));

        JsonObject started = json(ok(post(id, "start", creator)));

        assertEquals("RUNNING", string(started, "state"));
        List<JsonObject> waves = waves(started);
        assertEquals("ACTIVE", string(waves.get(0), "state"));
        assertEquals(2, number(waves.get(0), "members"), "the canary's fixed size");
        assertEquals("PENDING", string(waves.get(1), "state"));
        assertEquals(3, number(waves.get(1), "members"), "the rest, frozen at the start");
        int ordered = 0;
        for (int i = 0; i < devices.size(); i++) {
            long now = number((JsonObject) json(devices.get(i).checkin(http)).get("director"), "timestampVersion");
            if (now > before.get(i)) {
                ordered++;
            }
        }
        assertEquals(2, ordered, "exactly the canary's devices got a new director order");

        assertEquals("PAUSED", string(json(ok(post(id, "pause", creator))), "state"));
        assertEquals("RUNNING", string(json(ok(post(id, "resume", creator))), "state"));
        assertTrue(ItAudit.has(http, e -> e.action().equals("rollout.start") && e.subject().equals(id)
                && e.outcome().equals("SUCCESS")));
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private String[] releaseManager(String user) {
        return account(user, "release-manager");
    }

    private String[] account(String user, String role) {
        return Http.basic(user, ItAccounts.createWithPassword(http, user, role));
    }

    private HttpResponse<byte[]> post(String id, String command, String[] who) {
        return http.send("POST", API + "/" + id + "/" + command, who);
    }

    private int rollouts(String[] who) {
        return ((JsonValue.JsonArray) json(ok(http.get(API, who))).get("rollouts")).elements().size();
    }

    private static HttpResponse<byte[]> ok(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), Http.text(r));
        return r;
    }

    private static List<JsonObject> waves(JsonObject rollout) {
        return ((JsonValue.JsonArray) rollout.get("waves")).elements().stream().map(v -> (JsonObject) v).toList();
    }

    private static void assertRefused(int status, String code, HttpResponse<byte[]> r) {
        assertEquals(status, r.statusCode(), Http.text(r));
        assertEquals(code, string(json(r), "code"), Http.text(r));
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
