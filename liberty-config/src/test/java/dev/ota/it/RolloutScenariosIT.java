package dev.ota.it;

import static dev.ota.it.ItRollouts.number;
import static dev.ota.it.ItRollouts.string;
import static dev.ota.it.ItRollouts.waves;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.protocol.Report;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * fleet.md's "Proving it" scenarios that the other rollout ITs do not walk through with agents: waves to completion
 * across a pause and a resume, windows in two time zones with a device offline through its window, the criticality
 * veto (the simulator's healthy, critical schedule, broken veto provider, offline and time zones profiles), and a
 * rollout of higher weight superseding a lighter one on the same devices. Reference agents ({@link ItAgent}) against
 * the real server in its virtual time; both invariants checked after every agent cycle ({@link FleetInvariants}).
 * Runs on H2 and, in the it-postgresql execution, on PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
class RolloutScenariosIT {
    /** One wave of every device, passing at once when all succeeded. */
    private static final String ONCE = "\"canary\":2,\"waves\":[100],\"soakMinutes\":0,\"successPct\":100";

    private final ItRollouts it = ItRollouts.onItServer("lock-sc");

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @AfterEach
    void invariantsWereChecked() {
        assertTrue(it.invariants.checks() > 0, "the scenario checked the invariants");
    }

    @Test
    void aPausedRolloutStartsNoWaveAndOnceResumedRunsItsWavesToCompletionWithCountsEqualToTheDeviceJournals()
            throws Exception {
        String path = "lock-fw/waves-" + it.run + "-42.bin";
        it.upload(path, 42, "firmware 42 HEALTHY " + it.run);
        List<ItAgent> agents = it.agents("wv", 5);
        String id = it.started(path, "\"canary\":1,\"waves\":[50,100],\"soakMinutes\":60,\"successPct\":100");
        JsonObject soaking = it.cyclesUntil(agents, id, r -> number(waves(r).get(0), "succeeded") == 1);
        assertEquals("ACTIVE", string(waves(soaking).get(0), "state"), "the canary soaks");

        assertEquals("PAUSED", string(it.command(id, "pause"), "state"));
        it.clock.advance(Duration.ofMinutes(61));
        it.cycles(agents, 2);
        JsonObject paused = it.rollout(id);
        assertEquals("PAUSED", string(paused, "state"));
        assertEquals("PENDING", string(waves(paused).get(1), "state"), "no wave starts while paused");
        assertEquals(1, agents.stream().filter(a -> !a.journalReports().isEmpty()).count(),
                "only the canary's device was ever ordered");

        assertEquals("RUNNING", string(it.command(id, "resume"), "state"));
        // Devices fall into the later waves by their hash (WavePlanner): each wave soaks once all its members
        // succeeded, and the soak is crossed in virtual time, until the last wave passes.
        int soaked = 0;
        JsonObject done = it.rollout(id);
        while (!string(done, "state").equals("COMPLETED")) {
            int after = soaked;
            done = it.cyclesUntil(agents, id, r -> string(r, "state").equals("COMPLETED") || soakingWave(r) > after);
            if (!string(done, "state").equals("COMPLETED")) {
                soaked = soakingWave(done);
                it.clock.advance(Duration.ofMinutes(61));
            }
        }

        long succeededInJournals = 0;
        for (ItAgent a : agents) {
            List<Report> journal = a.journalReports();
            assertEquals(ItRollouts.byActionAndSeq(journal), ItRollouts.byActionAndSeq(it.reports(a.id())),
                    a.id() + ": the server holds exactly the reports of the device's journal");
            succeededInJournals += journal.stream().filter(r -> r.state() == Report.State.SUCCEEDED).count();
            assertEquals(Optional.of(path), a.committed().map(r -> r.target()), a.id() + " runs the release");
        }
        long succeeded = 0;
        for (JsonObject wave : waves(done)) {
            assertEquals("PASSED", string(wave, "state"));
            assertEquals(0, number(wave, "failed"));
            succeeded += number(wave, "succeeded");
        }
        assertEquals(5, succeeded);
        assertEquals(succeededInJournals, succeeded, "the waves' counts equal the device journals");
    }

    @Test
    void criticalDevicesAreHeldAndNeverFailedOrForcedBusyOnesInstallAfterForceAfterAndWaitsPastTheDeferralAreAlerted()
            throws Exception {
        String path = "lock-fw/veto-" + it.run + "-42.bin";
        it.upload(path, 42, "firmware 42 HEALTHY " + it.run);
        ItAgent idle = it.agent("idle");
        ItAgent critical = it.agent("critical");
        ItAgent busy = it.agent("busy");
        ItAgent broken = it.agent("broken");
        List<ItAgent> agents = List.of(idle, critical, busy, broken);
        // Any failure counted would trip the budget at once: waiting devices must not count.
        String id = it.started(path, "\"canary\":4,\"waves\":[100],\"installPolicy\":{\"forceAfterMinutes\":60},"
                + "\"errorBudget\":{\"minSample\":1,\"errorPct\":1,\"maxFailed\":1}");
        assertEquals(7, number((JsonObject) it.rollout(id).get("definition"), "maxDeferralDays"),
                "fleet.md's default maximum deferral");
        critical.veto("critical");
        busy.veto("busy");
        broken.breakVeto();

        it.cyclesUntil(agents, "the idle device installed and the others wait for themselves",
                () -> idle.committed().isPresent() && List.of(critical, busy, broken).stream()
                        .allMatch(d -> it.states(d.id()).contains("WAITING_DEVICE")));
        it.cycles(agents, 1);

        assertEquals(Optional.of(path), idle.committed().map(r -> r.target()), it.log());
        for (ItAgent held : List.of(critical, busy, broken)) {
            assertHeld(held);
        }
        JsonObject waiting = it.rollout(id);
        assertEquals("RUNNING", string(waiting, "state"));
        assertEquals(0, number(waves(waiting).get(0), "failed"), "waiting devices are no failures");

        it.clock.advance(Duration.ofMinutes(61));
        it.cyclesUntil(agents, "the busy device installed", () -> busy.committed().isPresent());
        it.cycles(agents, 1);

        assertEquals(Optional.of(path), busy.committed().map(r -> r.target()), "busy is overridden after force-after\n"
                + it.log());
        assertHeld(critical);
        assertHeld(broken);
        assertEquals(List.of(), ItAudit.of(it.http, "rollout.deferral-alert", id), "no alert before the deferral");

        it.clock.advance(Duration.ofDays(7));
        List<ItAudit.Entry> alerts = alerts(id, 2);
        assertEquals(1, alerts.stream().filter(e -> e.detail().contains(critical.id())).count(), alerts.toString());
        assertEquals(1, alerts.stream().filter(e -> e.detail().contains(broken.id())).count(), alerts.toString());
        it.awaitFreshImageMetadata();
        it.cycles(agents, 1);
        assertHeld(critical);
        assertHeld(broken);
        JsonObject deferred = it.rollout(id);
        assertEquals("RUNNING", string(deferred, "state"), "an alert, never a trip");
        assertEquals(0, number(waves(deferred).get(0), "failed"));
        assertEquals(2, ItAudit.of(it.http, "rollout.deferral-alert", id).size(), "one alert per waiting spell");

        critical.veto("idle");
        it.cyclesUntil(agents, "the no longer critical device installed", () -> critical.committed().isPresent());
        assertEquals(Optional.of(path), critical.committed().map(r -> r.target()),
                "a device that stops being critical installs\n" + it.log());
        assertHeld(broken);
    }

    @Test
    void devicesInTwoTimeZonesInstallInTheirOwnWindowsAndOneOfflineThroughItsWindowWaitsForTheNext() throws Exception {
        String path = "lock-fw/zones-" + it.run + "-42.bin";
        it.upload(path, 42, "firmware 42 HEALTHY " + it.run);
        ItAgent tokyo = it.agent("tokyo");
        ItAgent newYork = it.agent("newyork");
        it.attributes(tokyo.id(), "timeZone", "Asia/Tokyo");
        it.attributes(newYork.id(), "timeZone", "America/New_York");
        // The server's clock is the wall clock plus every shift earlier tests made, so either window may be open now
        // (a CI run once found one open and the device installed at once): start at the next 12:00 UTC, when both
        // 02:00-03:00 windows are closed (21:00 in Tokyo, 07:00 or 08:00 in New York).
        Instant now = it.clock.clock().instant();
        Instant noon = now.atZone(ZoneOffset.UTC).toLocalDate().atTime(12, 0).toInstant(ZoneOffset.UTC);
        it.clock.advance(Duration.between(now, noon.isAfter(now) ? noon : noon.plus(Duration.ofDays(1))));
        it.awaitFreshImageMetadata();
        String id = it.started(path, "\"canary\":2,\"waves\":[100],\"soakMinutes\":0,\"successPct\":100,"
                + "\"windows\":[{\"rule\":\"FREQ=DAILY\",\"start\":\"02:00\",\"durationMinutes\":60,"
                + "\"timeZone\":\"device\"}]");
        it.cyclesUntil(List.of(tokyo, newYork), "both downloaded and wait for their windows", () -> List.of(tokyo,
                newYork).stream().allMatch(d -> it.states(d.id()).contains("WAITING_WINDOW")));
        it.cycles(List.of(tokyo, newYork), 1);

        Instant tokyoOpens = firstWindow(tokyo, path);
        Instant newYorkOpens = firstWindow(newYork, path);
        assertEquals(LocalTime.of(2, 0), tokyoOpens.atZone(ZoneId.of("Asia/Tokyo")).toLocalTime());
        assertEquals(LocalTime.of(2, 0), newYorkOpens.atZone(ZoneId.of("America/New_York")).toLocalTime());
        ItAgent first = tokyoOpens.isBefore(newYorkOpens) ? tokyo : newYork;
        ItAgent offline = first == tokyo ? newYork : tokyo;
        Instant offlineOpens = first == tokyo ? newYorkOpens : tokyoOpens;
        for (ItAgent a : List.of(tokyo, newYork)) {
            assertTrue(it.states(a.id()).contains("WAITING_WINDOW"), a.id() + ": " + it.states(a.id()));
            assertEquals(Optional.empty(), a.committed(), a.id() + " installed outside its window");
        }

        // The first device's window opens; the other device is offline until its own window has closed.
        it.clock.advance(Duration.between(it.clock.clock().instant(), first == tokyo ? tokyoOpens : newYorkOpens)
                .plusMinutes(1));
        it.awaitFreshImageMetadata();
        it.cyclesUntil(List.of(first), "the first device installed in its window", () -> first.committed().isPresent());
        assertEquals(Optional.of(path), first.committed().map(r -> r.target()), it.log());
        it.clock.advance(Duration.between(it.clock.clock().instant(), offlineOpens.plus(Duration.ofMinutes(61))));
        it.awaitFreshImageMetadata();
        it.cycles(List.of(tokyo, newYork), 2);
        assertEquals(Optional.empty(), offline.committed(), offline.id() + " came back after its window closed and "
                + "installed anyway\n" + it.log());
        Instant next = firstWindow(offline, path);
        // A day later in the device's zone: 24 hours, unless the server's time (the wall clock plus every shift)
        // crossed a change to or from daylight saving time in New York.
        ZoneId offlineZone = ZoneId.of(offline == tokyo ? "Asia/Tokyo" : "America/New_York");
        assertEquals(offlineOpens.atZone(offlineZone).plusDays(1).toInstant(), next, "its next window, a day later");
        JsonObject waiting = it.rollout(id);
        assertEquals("RUNNING", string(waiting, "state"));
        assertEquals(0, number(waves(waiting).get(0), "failed"), "an offline device is no failure");

        it.clock.advance(Duration.between(it.clock.clock().instant(), next).plusMinutes(1));
        it.awaitFreshImageMetadata();
        it.cyclesUntil(List.of(tokyo, newYork), "the device installed in its next window",
                () -> offline.committed().isPresent());
        assertEquals(Optional.of(path), offline.committed().map(r -> r.target()), it.log());
        // Its next check-in carries the success.
        it.cyclesUntil(List.of(tokyo, newYork), id, r -> string(r, "state").equals("COMPLETED"));
    }

    @Test
    void aRolloutOfHigherWeightSupersedesALighterOnesOpenOrdersAndOneOfEqualWeightLeavesTheDevicesToIt()
            throws Exception {
        String routine = "lock-fw/routine-" + it.run + "-42.bin";
        String urgent = "lock-fw/urgent-" + it.run + "-43.bin";
        String another = "lock-fw/another-" + it.run + "-44.bin";
        it.upload(routine, 42, "firmware 42 HEALTHY " + it.run);
        it.upload(urgent, 43, "firmware 43 HEALTHY " + it.run);
        it.upload(another, 44, "firmware 44 HEALTHY " + it.run);
        List<ItAgent> agents = it.agents("wt", 2);
        String light = heldOpen(agents, routine);

        String heavy = it.started(urgent, ONCE + ",\"weight\":10");
        String equal = it.started(another, ONCE + ",\"weight\":10");
        it.cyclesUntil(agents, "both were ordered the urgent release", () -> agents.stream()
                .allMatch(a -> it.ordered(a).equals(List.of(urgent))));
        it.cycles(agents, 1);

        assertEquals(2, ItAudit.of(it.http, "rollout.device-superseded", light).size(), "the lighter orders superseded");
        assertEquals(0, number(waves(it.rollout(light)).get(0), "members"), "no members of the lighter one any more");
        assertEquals(0, number(waves(it.rollout(light)).get(0), "failed"), "and no failures");
        assertEquals(0, number(waves(it.rollout(equal)).get(0), "members"), "the one of equal weight leaves them");
        assertEquals(1, ItAudit.of(it.http, "rollout.devices-left-out", equal).size());
        for (ItAgent a : agents) {
            assertEquals(List.of(urgent), it.ordered(a), a.id() + ": the heavier order stays in force");
            a.veto("idle");
        }
        JsonObject done = it.cyclesUntil(agents, heavy, r -> string(r, "state").equals("COMPLETED"));

        assertEquals(2, number(waves(done).get(0), "succeeded"));
        for (ItAgent a : agents) {
            assertEquals(Optional.of(urgent), a.committed().map(r -> r.target()), a.id() + "\n" + it.log());
            assertEquals(1, it.states(a.id()).stream().filter(s -> s.equals("INSTALLING")).count(),
                    a.id() + " installed once, the urgent release: " + it.states(a.id()));
            assertEquals(ItRollouts.byActionAndSeq(a.journalReports()), ItRollouts.byActionAndSeq(it.reports(a.id())));
        }
    }

    @Test
    void aHeavierRolloutTheDirectorCannotOrderForADeviceLeavesItToTheLighterOneThatStillCountsIt() throws Exception {
        String routine = "lock-fw/kept-" + it.run + "-42.bin";
        String elsewhere = "lock-fw/elsewhere-" + it.run + "-43.bin";
        it.upload(routine, 42, "firmware 42 HEALTHY " + it.run);
        // The urgent release is for another hardware id: the director orders none of these devices with it.
        it.upload(elsewhere, 43, "firmware 43 HEALTHY " + it.run, it.hardware + "-other");
        List<ItAgent> agents = it.agents("wk", 2);
        String light = heldOpen(agents, routine);

        String heavy = it.started(elsewhere, ONCE + ",\"weight\":10");
        it.cycles(agents, 1);

        assertEquals(2, ItAudit.of(it.http, "rollout.device-skipped", heavy).size(), "the heavier one orders neither");
        assertEquals(0, ItAudit.of(it.http, "rollout.device-superseded", light).size(), "so it takes neither");
        assertEquals(2, number(waves(it.rollout(light)).get(0), "members"), "both stay members of the lighter one");
        for (ItAgent a : agents) {
            assertEquals(List.of(routine), it.ordered(a), a.id() + ": the lighter order stays in force");
            a.veto("idle");
        }
        JsonObject done = it.cyclesUntil(agents, light, r -> string(r, "state").equals("COMPLETED"));
        assertEquals(2, number(waves(done).get(0), "succeeded"), "the lighter one counts their installs");
        for (ItAgent a : agents) {
            assertEquals(Optional.of(routine), a.committed().map(r -> r.target()), a.id() + "\n" + it.log());
        }
    }

    @Test
    void retryingALighterRolloutsFailedDeviceLeavesItToTheHeavierRolloutThatHoldsItNow() throws Exception {
        String bad = "lock-fw/bad-" + it.run + "-42.bin";
        String urgent = "lock-fw/fix-" + it.run + "-43.bin";
        it.upload(bad, 42, "firmware 42 BROKEN " + it.run);
        it.upload(urgent, 43, "firmware 43 HEALTHY " + it.run);
        ItAgent device = it.agent("rt");
        List<ItAgent> agents = List.of(device);
        String light = it.started(bad, "\"canary\":1,\"waves\":[100],\"soakMinutes\":0,\"successPct\":100,"
                + "\"errorBudget\":{\"minSample\":1,\"errorPct\":1,\"maxFailed\":1},\"onTrip\":\"PAUSE\"");
        it.cyclesUntil(agents, light, r -> string(r, "state").equals("PAUSED"));
        assertTrue(it.states(device.id()).contains("ROLLED_BACK"), it.states(device.id()) + "\n" + it.log());

        device.veto("busy");
        String heavy = it.started(urgent, "\"canary\":1,\"waves\":[100],\"soakMinutes\":0,\"successPct\":100,"
                + "\"weight\":10");
        it.cyclesUntil(agents, "the device holds the urgent order", () -> it.ordered(device).equals(List.of(urgent)));
        JsonObject retried = it.command(light, "retry-failed");

        assertEquals(1, number(waves(retried).get(0), "failed"), "the failure stays counted, not retried");
        assertEquals(1, ItAudit.of(it.http, "rollout.device-not-retried", light).size());
        it.cycles(agents, 1);
        assertEquals(List.of(urgent), it.ordered(device), "the heavier order stays in force\n" + it.log());
        device.veto("idle");
        it.cyclesUntil(agents, heavy, r -> string(r, "state").equals("COMPLETED"));
        assertEquals(Optional.of(urgent), device.committed().map(r -> r.target()), it.log());
    }

    /** A rollout of {@code path} (weight 0) whose order the busy devices downloaded and hold open; its id. */
    private String heldOpen(List<ItAgent> agents, String path) throws InterruptedException {
        agents.forEach(a -> a.veto("busy"));
        String light = it.started(path, ONCE);
        it.cyclesUntil(agents, "all hold the order of " + path, () -> agents.stream()
                .allMatch(a -> it.states(a.id()).contains("WAITING_DEVICE")));
        return light;
    }

    /** The start of the first install window not yet over that the device's current director order names. */
    private Instant firstWindow(ItAgent device, String path) {
        Instant now = it.clock.clock().instant();
        JsonObject targets = it.invariants.directorHistory(device).lastEntry().getValue();
        JsonObject target = (JsonObject) ((JsonObject) targets.get("targets")).get(path);
        assertTrue(target != null, device.id() + " has no order of " + path);
        for (JsonValue w : ((JsonValue.JsonArray) ((JsonObject) target.get("custom")).get("installWindows")).elements()) {
            List<JsonValue> startEnd = ((JsonValue.JsonArray) w).elements();
            if (Instant.parse(((JsonValue.JsonString) startEnd.get(1)).value()).isAfter(now)) {
                return Instant.parse(((JsonValue.JsonString) startEnd.get(0)).value());
            }
        }
        throw new AssertionError(device.id() + "'s order names no window to come: " + target);
    }

    /** The highest wave that is active with all its members succeeded (soaking), or -1. */
    private static int soakingWave(JsonObject rollout) {
        List<JsonObject> waves = waves(rollout);
        int soaking = -1;
        for (int i = 0; i < waves.size(); i++) {
            if (string(waves.get(i), "state").equals("ACTIVE")
                    && number(waves.get(i), "succeeded") == number(waves.get(i), "members")) {
                soaking = i;
            }
        }
        return soaking;
    }

    /** The device downloaded its order and waits for itself: nothing installed, never tried. */
    private void assertHeld(ItAgent device) {
        List<String> states = it.states(device.id());
        assertTrue(states.contains("WAITING_DEVICE"), device.id() + ": " + states + "\n" + it.log());
        assertFalse(states.contains("INSTALLING"), device.id() + " was forced: " + states);
        assertEquals(Optional.empty(), device.committed(), device.id() + " runs an image");
        assertEquals(Optional.empty(), device.onTrial(), device.id() + " tries an image");
    }

    /** The rollout's deferral alerts once there are {@code n} (the scheduler ticks in real time). */
    private List<ItAudit.Entry> alerts(String id, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<ItAudit.Entry> alerts = ItAudit.of(it.http, "rollout.deferral-alert", id);
        while (alerts.size() < n) {
            assertTrue(System.nanoTime() < deadline, "no deferral alerts: " + alerts);
            Thread.sleep(500);
            alerts = ItAudit.of(it.http, "rollout.deferral-alert", id);
        }
        return alerts;
    }
}
