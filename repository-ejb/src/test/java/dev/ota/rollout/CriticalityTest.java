package dev.ota.rollout;

import static dev.ota.rollout.Criticality.Verdict.FORCED;
import static dev.ota.rollout.Criticality.Verdict.HELD_CRITICAL;
import static dev.ota.rollout.Criticality.Verdict.PROCEED;
import static dev.ota.rollout.Criticality.Verdict.WAITING_BUSY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CriticalityTest {
    static final Instant ASSIGNED = Instant.parse("2026-05-01T12:00:00Z");
    static final InstallRule FORCE_AFTER_A_DAY = new InstallRule(Optional.of(Duration.ofDays(1)), Duration.ofDays(7));

    @Test
    void criticalIsHeldAndNeverForcedHoweverLong() {
        assertEquals(HELD_CRITICAL, Criticality.verdict(FORCE_AFTER_A_DAY, "critical", ASSIGNED, ASSIGNED.plus(Duration.ofDays(365))));
    }

    @Test
    void aMissingOrUnreadableStateCountsAsCritical() {
        assertEquals(HELD_CRITICAL, Criticality.verdict(FORCE_AFTER_A_DAY, null, ASSIGNED, ASSIGNED.plus(Duration.ofDays(2))));
        assertEquals(HELD_CRITICAL, Criticality.verdict(FORCE_AFTER_A_DAY, "Busy", ASSIGNED, ASSIGNED.plus(Duration.ofDays(2))));
        assertTrue(Criticality.keptOutOfStart("critical"));
        assertTrue(Criticality.keptOutOfStart(null));
        assertFalse(Criticality.keptOutOfStart("busy"));
        assertFalse(Criticality.keptOutOfStart("idle"));
    }

    @Test
    void busyWaitsUntilForceAfterAndIsForcedFromThen() {
        assertEquals(WAITING_BUSY, Criticality.verdict(FORCE_AFTER_A_DAY, "busy", ASSIGNED, ASSIGNED.plus(Duration.ofDays(1)).minusSeconds(1)));
        assertEquals(FORCED, Criticality.verdict(FORCE_AFTER_A_DAY, "busy", ASSIGNED, ASSIGNED.plus(Duration.ofDays(1))));
        assertEquals(PROCEED, Criticality.verdict(FORCE_AFTER_A_DAY, "idle", ASSIGNED, ASSIGNED));
    }

    @Test
    void respectBusyNeverForces() {
        assertEquals(WAITING_BUSY, Criticality.verdict(InstallRule.DEFAULT, "busy", ASSIGNED, ASSIGNED.plus(Duration.ofDays(60))));
    }

    @Test
    void theDirectorPolicyNamesTheInstantForceAfterEnds() {
        assertEquals(Optional.of(Instant.parse("2026-05-02T12:00:00Z")),
                FORCE_AFTER_A_DAY.directorPolicy(ASSIGNED.plusNanos(5)).forceAfter());
        assertEquals(Optional.empty(), InstallRule.DEFAULT.directorPolicy(ASSIGNED).forceAfter());
    }

    @Test
    void theOperatorIsAlertedOncePastTheMaximumDeferral() {
        Instant waiting = ASSIGNED.plus(Duration.ofHours(1));
        Instant due = waiting.plus(Duration.ofDays(7));
        assertFalse(Criticality.alertDue(InstallRule.DEFAULT, waiting, null, due.minusSeconds(1)));
        assertTrue(Criticality.alertDue(InstallRule.DEFAULT, waiting, null, due));
        assertFalse(Criticality.alertDue(InstallRule.DEFAULT, waiting, due, due.plus(Duration.ofDays(3))), "once");
        Instant waitingAgain = due.plus(Duration.ofDays(1));
        assertTrue(Criticality.alertDue(InstallRule.DEFAULT, waitingAgain, due, waitingAgain.plus(Duration.ofDays(7))),
                "a new waiting spell alerts again");
        assertFalse(Criticality.alertDue(InstallRule.DEFAULT, null, null, due), "not waiting");
    }
}
