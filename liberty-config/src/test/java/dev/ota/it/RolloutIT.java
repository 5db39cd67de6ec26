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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
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

        // Read filtered by the server: the newest of all entries can be the scheduler's on earlier tests' rollouts.
        List<ItAudit.Entry> approvals = ItAudit.of(http, "rollout.approve", id);
        assertTrue(approvals.stream().anyMatch(e -> e.outcome().equals("DENIED")
                && e.detail().contains("rollout.approval-own")), "self-approval audited");
        assertTrue(approvals.stream().anyMatch(e -> e.outcome().equals("SUCCESS") && e.detail().contains(hash)),
                "approval audited with the hash");
        for (String action : List.of("rollout.create", "rollout.submit", "rollout.cancel")) {
            assertTrue(ItAudit.of(http, action, id).stream().anyMatch(e -> e.outcome().equals("SUCCESS")), action);
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
        assertTrue(ItAudit.has(http, "rollout.create", e -> e.outcome().equals("DENIED")
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
        assertTrue(ItAudit.has(http, "rollout.start", e -> e.subject().equals(id)
                && e.outcome().equals("SUCCESS")));
    }

    /**
     * The ITs order three devices per transaction (OTA_ROLLOUT_ORDER_BATCH in the pom): the start orders the first
     * batch, the scheduler the others batch by batch after its ticks; a pause stops that until the resume, and no
     * device is ordered twice across the batches.
     */
    @Test
    void aWaveLargerThanABatchIsOrderedBatchByBatchEachDeviceOnceAndNotWhilePaused() throws Exception {
        Fleet fleet = fleet(12);
        String[] creator = releaseManager("rm-a-" + fleet.run);
        String[] approver = releaseManager("rm-b-" + fleet.run);
        String id = string(json(http.postJson(API, "{\"name\":\"fw " + fleet.run + "\",\"targetPath\":\"" + fleet.path
                + "\",\"filter\":{\"hardwareId\":\"" + fleet.hardware + "\"},\"canary\":10,\"waves\":[100]}", creator)),
                "id");
        ok(post(id, "submit", creator));
        ok(post(id, "approve", approver));
        ok(post(id, "start", creator));
        assertEquals("PAUSED", string(json(ok(post(id, "pause", creator))), "state"));

        // One transaction's audit entries are contiguous (the chain head is locked to its commit), and the start's
        // are written before its own rollout.start entry: the ones below it are the start's orders.
        long startSeq = ItAudit.of(http, "rollout.start", id).get(0).seq();
        assertEquals(3, ItAudit.byActor(http, "rollout:" + id).stream().filter(e -> e.action().equals("assignment.create")
                && e.seq() < startSeq).count(), "the start ordered one batch, not the wave");
        List<TestDevice> ordered = new ArrayList<>(fleet.ordered());
        assertTrue(ordered.size() >= 3 && ordered.size() <= 10, "ordered before the pause: " + ordered.size());
        Thread.sleep(2_500); // two scheduler ticks (OTA_ROLLOUT_TICK_SECONDS=1)
        assertEquals(List.of(), fleet.ordered(), "nobody is ordered while the rollout is paused");

        assertEquals("RUNNING", string(json(ok(post(id, "resume", creator))), "state"));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (ordered.size() < 10) {
            assertTrue(System.nanoTime() < deadline, "the scheduler did not order the canary: " + ordered.size());
            Thread.sleep(500);
            ordered.addAll(fleet.ordered());
        }
        Thread.sleep(1_500);
        assertEquals(List.of(), fleet.ordered(), "the canary's ten, no more: the next wave waits for their reports");
        for (TestDevice device : fleet.devices) {
            long orders = ItAudit.of(http, "assignment.create", device.id).size();
            assertEquals(ordered.contains(device) ? 1 : 0, orders, device.id + ": ordered once if in the canary");
        }
        // A batch audits each of its orders in one transaction, with no flush between them: the chain holds.
        String verification = Http.text(http.get("/portal/api/v1/audit/verification", fleet.admin));
        assertTrue(verification.contains("\"intact\":true") && !verification.contains("brokenSeq"), verification);
    }

    @Test
    void aCancelOfMoreOrdersThanABatchWithdrawsOneBatchAtOnceAndTheRestByTheSchedulerEachOnceNotTheInstallingOne()
            throws Exception {
        Fleet fleet = fleet(8);
        String id = startedRollout(fleet, 8, "");
        List<TestDevice> ordered = new ArrayList<>(fleet.ordered());
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (ordered.size() < 8) {
            assertTrue(System.nanoTime() < deadline, "the scheduler did not order the canary: " + ordered.size());
            Thread.sleep(500);
            ordered.addAll(fleet.ordered());
        }
        TestDevice installing = fleet.devices.get(0);
        report(installing, fleet.path, Report.State.INSTALLING, "");

        assertEquals("CANCELED", string(json(ok(post(id, "cancel", fleet.admin))), "state"));
        long cancelSeq = ItAudit.of(http, "rollout.cancel", id).get(0).seq();
        assertEquals(3, ItAudit.byActor(http, "rollout:" + id).stream().filter(e -> e.action().equals("assignment.cancel")
                && e.seq() < cancelSeq).count(), "the cancel withdrew one batch itself");
        List<TestDevice> withdrawn = new ArrayList<>(fleet.ordered());
        deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (withdrawn.size() < 7) {
            assertTrue(System.nanoTime() < deadline, "the scheduler did not withdraw the rest: " + withdrawn.size());
            Thread.sleep(500);
            withdrawn.addAll(fleet.ordered());
        }
        Thread.sleep(1_500); // another scheduler tick: nothing more
        assertEquals(List.of(), fleet.ordered(), "the installing device keeps its order; nobody is withdrawn twice");
        assertFalse(withdrawn.contains(installing), "the installing device finishes and reports");
        for (TestDevice device : fleet.devices) {
            assertEquals(device == installing ? 0 : 1, ItAudit.of(http, "assignment.cancel", device.id).size(),
                    device.id + ": withdrawn once unless installing");
        }
    }

    @Test
    void canaryDevicesThatSucceedStartTheNextWaveOnceTheSoakHasPassed() {
        Fleet fleet = fleet(4);
        String id = startedRollout(fleet, "\"successPct\":100,\"soakMinutes\":60");
        List<TestDevice> canary = fleet.ordered();
        assertEquals(2, canary.size(), "the canary's devices got the director's order");

        for (TestDevice device : canary) {
            report(device, fleet.path, Report.State.SUCCEEDED, "");
        }
        JsonObject soaking = until(id, r -> number(waves(r).get(0), "succeeded") == 2);
        assertEquals("ACTIVE", string(waves(soaking).get(0), "state"), "soaking, not passed yet");
        assertEquals("PENDING", string(waves(soaking).get(1), "state"));
        assertEquals(List.of(), fleet.ordered(), "nobody else is ordered during the soak");

        new ServerClock().advance(Duration.ofMinutes(61));

        JsonObject next = until(id, r -> string(waves(r).get(1), "state").equals("ACTIVE"));
        assertEquals("PASSED", string(waves(next).get(0), "state"));
        List<TestDevice> nextOrdered = new ArrayList<>();
        soon(() -> {
            nextOrdered.addAll(fleet.ordered());
            return nextOrdered.size() >= 2;
        });
        assertEquals(2, nextOrdered.size(), "the next wave's devices got the director's order");
        assertTrue(ItAudit.has(http, "rollout.wave-ended", e -> e.subject().equals(id)
                && e.detail().contains("wave 0 PASSED")));
    }

    @Test
    void canaryFailuresTripTheErrorBudgetAndPauseTheRollout() {
        Fleet fleet = fleet(4);
        String id = startedRollout(fleet, "\"errorBudget\":{\"minSample\":1,\"errorPct\":50,\"maxFailed\":1}");
        List<TestDevice> canary = fleet.ordered();
        assertEquals(2, canary.size());

        report(canary.get(0), fleet.path, Report.State.FAILED, "install: no space left for the image");

        JsonObject paused = until(id, r -> string(r, "state").equals("PAUSED"));
        assertEquals(1, number(waves(paused).get(0), "failed"));
        assertEquals("PENDING", string(waves(paused).get(1), "state"), "no later wave starts");
        assertEquals(List.of(), fleet.ordered(), "nobody else is ordered");
        assertTrue(ItAudit.has(http, "rollout.tripped", e -> e.subject().equals(id)));
    }

    @Test
    void aDeviceEnrollingMidRolloutJoinsItsWaveAndIsOrderedWhenThatWaveStarts() {
        Fleet fleet = fleet(2);
        String id = startedRollout(fleet, "\"successPct\":100,\"soakMinutes\":0");
        List<TestDevice> canary = fleet.ordered();
        assertEquals(2, canary.size(), "both devices are the canary; the last wave has nobody yet");

        TestDevice late = ItFleet.enrolled(http, fleet.admin, "ro-" + fleet.run + "-late", fleet.hardware);
        long lateVersion = directorVersion(late);
        JsonObject joined = until(id, r -> number(waves(r).get(1), "members") == 1);
        assertEquals("PENDING", string(waves(joined).get(1), "state"), "it joins the wave it belongs to, not yet started");
        assertEquals(lateVersion, directorVersion(late), "and is not ordered before its wave starts");

        for (TestDevice device : canary) {
            report(device, fleet.path, Report.State.SUCCEEDED, "");
        }
        until(id, r -> !string(waves(r).get(1), "state").equals("PENDING"));
        assertTrue(soon(() -> directorVersion(late) > lateVersion), "ordered when its wave started");
        assertTrue(ItAudit.has(http, "rollout.device-joined", e -> e.subject().equals(id)
                && e.detail().contains(late.id)));
    }

    @Test
    void aDownloadFailureWaitsOutItsBackoffAndIsOrderedAgainAsANewSignedAttempt() {
        Fleet fleet = fleet(4);
        String id = startedRollout(fleet, "\"errorBudget\":{\"minSample\":1,\"errorPct\":10,\"maxFailed\":1}");
        List<TestDevice> canary = fleet.ordered();
        TestDevice device = canary.get(0);
        JsonObject first = order(device, fleet.path);
        assertEquals(1, number(first, "attempt"));

        report(device, fleet.path, Report.State.FAILED, "download: connection reset by peer");
        // The report is stored by the check-in; its action waits for the retry only once a tick took it in. The
        // clock must not move before: a tick after the move would count the backoff from the moved time.
        assertTrue(soon(() -> actionState(id, device).equals("RETRY_WAIT")), "the failure waits for its retry");
        JsonObject waiting = until(id, r -> true);
        assertEquals("RUNNING", string(waiting, "state"), "a retryable failure waiting for its retry trips nothing");
        assertEquals(0, number(waves(waiting).get(0), "failed"));
        assertEquals(List.of(), fleet.ordered(), "no new order before the backoff (10 min, jittered in its upper half)");

        new ServerClock().advance(Duration.ofMinutes(11));

        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<TestDevice> again = fleet.ordered();
        while (again.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            again = fleet.ordered();
        }
        assertEquals(List.of(device), again, "only the failed device is ordered again");
        JsonObject second = order(device, fleet.path);
        assertEquals(2, number(second, "attempt"), "a new signed attempt number");
        assertTrue(!string(second, "actionId").equals(string(first, "actionId")), "under a new action id");
    }

    @Test
    void anAttackReportPausesTheRolloutAtOnceWhateverTheBudget() {
        Fleet fleet = fleet(4);
        String id = startedRollout(fleet, "\"errorBudget\":{\"minSample\":100,\"errorPct\":100,\"maxFailed\":100}");
        List<TestDevice> canary = fleet.ordered();

        report(canary.get(0), fleet.path, Report.State.REFUSED, "attack: director lists the image with other hashes");

        JsonObject paused = until(id, r -> string(r, "state").equals("PAUSED"));
        assertEquals(1, number(waves(paused).get(0), "failed"));
        assertEquals(List.of(), fleet.ordered(), "nobody else is ordered");
        assertTrue(ItAudit.has(http, "rollout.alarm", e -> e.subject().equals(id)));
    }

    @Test
    void aDeviceTheDirectorWouldRefuseWhenItsWaveStartsIsSkippedAndTheRolloutGoesOn() {
        Fleet fleet = fleet(4);
        String id = startedRollout(fleet, "\"successPct\":100,\"soakMinutes\":0");
        List<TestDevice> canary = fleet.ordered();
        assertEquals(2, canary.size());
        List<TestDevice> rest = fleet.devices.stream().filter(d -> !canary.contains(d)).toList();
        TestDevice gone = rest.get(0);
        TestDevice staying = rest.get(1);
        long stayingVersion = directorVersion(staying);
        assertEquals(200, http.send("POST", "/portal/api/v1/devices/" + gone.id + "/decommission", fleet.admin)
                .statusCode());

        for (TestDevice device : canary) {
            report(device, fleet.path, Report.State.SUCCEEDED, "");
        }

        until(id, r -> string(waves(r).get(1), "state").equals("ACTIVE"));
        // A wave turns ACTIVE in one transaction and its members are ordered batch by batch after it; until then the
        // decommissioned device is still a SCHEDULED member. Once the other device has its order, the batch holding
        // both (one batch: two devices) has committed, its refusal with it.
        assertTrue(soon(() -> directorVersion(staying) > stayingVersion), "the wave's other device was ordered");
        JsonObject next = json(ok(http.get(API + "/" + id, ItAccounts.admin(http))));
        assertEquals(1, number(waves(next).get(1), "members"), "the decommissioned device is no member");
        assertTrue(ItAudit.has(http, "rollout.device-skipped", e -> e.subject().equals(id)
                && e.detail().contains(gone.id) && e.detail().contains("assignment.device-not-accepted")));
    }

    /**
     * A device whose ordering throws something other than the director's refusal must not stop the rollout: the
     * batch it is in rolls back, the scheduler orders that batch's devices one per transaction, and the one whose
     * own transaction fails is SKIPPED and audited. The trigger is one a device can cause through the device API: a
     * check-in whose ECU report holds a control character (escaped, valid JSON) is accepted and its ecus stored in
     * canonical form, which keeps control characters raw, so reading them back for an order fails. Here the wave
     * after the canary (three devices, one batch) is started by a tick, and its second device by id is that one.
     */
    @Test
    void aDeviceWhoseEcuReportHoldsAControlCharacterIsShownAndOrderedLikeAnyOther() {
        Fleet fleet = fleet(5);
        String id = startedRollout(fleet, "\"successPct\":100,\"soakMinutes\":0");
        List<TestDevice> canary = fleet.devices.stream().filter(d -> orders(id, d) == 1).toList();
        assertEquals(2, canary.size(), "the start ordered the canary");
        List<TestDevice> wave = fleet.devices.stream().filter(d -> !canary.contains(d)).toList();
        // The ECU report is stored canonical, where this newline stands raw: read back as plain JSON it once made the
        // device's page answer 500 and every batch holding the device roll back, the wave never passing.
        TestDevice newline = wave.get(1);
        HttpResponse<byte[]> sent = newline.checkin(http, Envelope.sign(new Checkin(newline.id,
                ++newline.counter, TestDevice.TIME, Checkin.DeviceState.IDLE, Optional.empty(),
                Map.of(newline.id, new Checkin.Ecu(fleet.hardware, Optional.empty(),
                        "rollback-attack: 1 refused\nfreeze-attack: 0 refused")), OptionalLong.of(0), List.of(),
                Optional.empty()), newline.key).toBytes());
        assertEquals(200, sent.statusCode(), "the device API accepts the check-in: " + Http.text(sent));
        HttpResponse<byte[]> shown = http.get("/portal/api/v1/devices/" + newline.id, fleet.admin);
        assertEquals(200, shown.statusCode(), Http.text(shown));
        assertTrue(Http.text(shown).contains("rollback-attack: 1 refused\\nfreeze-attack: 0 refused"), Http.text(shown));

        for (TestDevice device : canary) {
            report(device, fleet.path, Report.State.SUCCEEDED, "");
        }
        // Orders are read from the audit: the fleet's director versions come from check-ins, and one would store
        // the device's ECU report again.
        until(id, r -> wave.stream().allMatch(d -> orders(id, d) == 1));
        assertEquals(List.of(), ItAudit.of(http, "rollout.device-skipped", id), "nobody skipped");
        for (TestDevice device : wave) {
            report(device, fleet.path, Report.State.SUCCEEDED, "");
        }
        JsonObject completed = until(id, r -> string(r, "state").equals("COMPLETED"));
        assertEquals(3, number(waves(completed).get(1), "succeeded"));
        for (TestDevice device : fleet.devices) {
            assertEquals(1, orders(id, device), device.id + " was ordered once");
        }
    }

    /** The rollout's orders of the device: the director's audit entries under the rollout as actor. */
    private long orders(String rolloutId, TestDevice device) {
        return ItAudit.of(http, "assignment.create", device.id).stream()
                .filter(e -> e.actor().equals("rollout:" + rolloutId)).count();
    }

    /** A release and {@code size} enrolled devices of a hardware id of their own, each checked in once. */
    private final class Fleet {
        final String run = run();
        final String hardware = "lock-ro-" + run;
        final String path = "lock-fw/rollout-" + run + "-1.5.0.bin";
        final String[] admin = ItAccounts.admin(http);
        final List<TestDevice> devices = new ArrayList<>();
        final List<Long> versions = new ArrayList<>();

        Fleet(int size) {
            ItFleet.upload(http, admin, path, hardware, 42, ("firmware " + run).getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < size; i++) {
                TestDevice d = ItFleet.enrolled(http, admin, "ro-" + run + "-" + i, hardware);
                devices.add(d);
                versions.add(directorVersion(d));
            }
        }

        /** The devices whose director timestamp version rose since the last look. */
        List<TestDevice> ordered() {
            List<TestDevice> out = new ArrayList<>();
            for (int i = 0; i < devices.size(); i++) {
                long now = directorVersion(devices.get(i));
                if (now > versions.get(i)) {
                    out.add(devices.get(i));
                    versions.set(i, now);
                }
            }
            return out;
        }
    }

    private Fleet fleet(int size) {
        return new Fleet(size);
    }

    private String startedRollout(Fleet fleet, String fields) {
        return startedRollout(fleet, 2, fields);
    }

    private String startedRollout(Fleet fleet, int canary, String fields) {
        String[] creator = releaseManager("rm-a-" + fleet.run);
        String[] approver = releaseManager("rm-b-" + fleet.run);
        HttpResponse<byte[]> created = http.postJson(API, "{\"name\":\"fw " + fleet.run + "\",\"targetPath\":\""
                + fleet.path + "\",\"filter\":{\"hardwareId\":\"" + fleet.hardware + "\"},\"canary\":" + canary
                + ",\"waves\":[100]" + (fields.isEmpty() ? "" : "," + fields) + "}", creator);
        assertEquals(201, created.statusCode(), Http.text(created));
        String id = string(json(created), "id");
        ok(post(id, "submit", creator));
        ok(post(id, "approve", approver));
        assertEquals("RUNNING", string(json(ok(post(id, "start", creator))), "state"));
        return id;
    }

    private long directorVersion(TestDevice device) {
        return number((JsonObject) json(device.checkin(http)).get("director"), "timestampVersion");
    }

    /** The device reports its order of {@code path} (action id from its director targets) in a signed check-in. */
    private void report(TestDevice device, String path, Report.State state, String detail) {
        String actionId = string(order(device, path), "actionId");
        HttpResponse<byte[]> r = device.checkin(http, device.nextCheckin(
                List.of(new Report(actionId, 1, state, TestDevice.TIME, detail)), null));
        assertEquals(200, r.statusCode(), Http.text(r));
    }

    /** The custom of {@code path} in the device's current director targets, read with its token. */
    private JsonObject order(TestDevice device, String path) {
        JsonObject answer = json(device.checkin(http));
        String token = string(answer, "token");
        JsonObject ts = signed(director(device, "timestamp.json", token));
        long snapshot = number((JsonObject) ((JsonObject) ts.get("meta")).get("snapshot.json"), "version");
        JsonObject sn = signed(director(device, snapshot + ".snapshot.json", token));
        long targets = number((JsonObject) ((JsonObject) sn.get("meta")).get("targets.json"), "version");
        JsonObject target = (JsonObject) ((JsonObject) signed(director(device, targets + ".targets.json", token))
                .get("targets")).get(path);
        assertTrue(target != null, device.id + " has no order of " + path);
        return (JsonObject) target.get("custom");
    }

    private HttpResponse<byte[]> director(TestDevice device, String file, String token) {
        HttpResponse<byte[]> r = http.get("/director/" + device.id + "/metadata/" + file, "Authorization",
                "Bearer " + token);
        assertEquals(200, r.statusCode(), Http.text(r));
        return r;
    }

    private static JsonObject signed(HttpResponse<byte[]> r) {
        return (JsonObject) json(r).get("signed");
    }

    /**
     * The rollout once {@code done} holds: the scheduler decides every few seconds of real time (the soak itself
     * is crossed in virtual time), so this waits for its next tick, at most a minute.
     */
    private JsonObject until(String id, Predicate<JsonObject> done) {
        String[] admin = ItAccounts.admin(http);
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

    /**
     * Whether {@code check} holds within a minute: the scheduler orders a wave its tick started right after the
     * tick, in transactions of their own, so the orders may come a moment after the wave shows ACTIVE; a moment
     * that grows on a loaded machine, with every running rollout earlier tests left ticked before the orders.
     */
    /** The device's action in the rollout as stored: its state is shown by no API. */
    private static String actionState(String rolloutId, TestDevice device) {
        try (Connection c = ItDatabase.server();
             PreparedStatement q = c.prepareStatement("SELECT state FROM rollout_action WHERE rollout_id = ? "
                     + "AND device_id = ?")) {
            q.setString(1, rolloutId);
            q.setString(2, device.id);
            try (ResultSet rs = q.executeQuery()) {
                assertTrue(rs.next(), device.id + " is no member of " + rolloutId);
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean soon(java.util.function.BooleanSupplier check) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return true;
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
