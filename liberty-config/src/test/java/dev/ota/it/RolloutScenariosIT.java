package dev.ota.it;

import static dev.ota.it.ItRollouts.number;
import static dev.ota.it.ItRollouts.string;
import static dev.ota.it.ItRollouts.waves;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.time.Duration;
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
 * fleet.md's "Proving it" scenarios that the other rollout ITs do not walk through with agents: the criticality veto
 * (the simulator's healthy, critical schedule and broken veto provider profiles). Reference agents ({@link ItAgent}) against the real server in its virtual time; both invariants checked
 * after every agent cycle ({@link FleetInvariants}). Runs on H2 and, in the it-postgresql execution, on PostgreSQL.
 */
@ExtendWith(ArquillianExtension.class)
class RolloutScenariosIT {
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
