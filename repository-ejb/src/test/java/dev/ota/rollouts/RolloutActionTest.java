package dev.ota.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The waiting spell a maximum-deferral alert counts from (fleet.md, "Criticality"). */
class RolloutActionTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aWaitingSpellStartsAtTheFirstWaitingReportAndLastsAcrossWindowAndDeviceWaits() {
        RolloutAction a = assigned();
        a.reported("DOWNLOADED", null, T0.plusSeconds(60));
        assertNull(a.waitingSince(), "downloaded is no wait");

        a.reported("WAITING_WINDOW", null, T0.plusSeconds(120));
        a.reported("WAITING_DEVICE", null, T0.plusSeconds(3600));
        a.reported("WAITING_WINDOW", null, T0.plusSeconds(7200));

        assertEquals(T0.plusSeconds(120), a.waitingSince());
    }

    @Test
    void installingEndsTheSpellAndTheNextWaitStartsANewOne() {
        RolloutAction a = assigned();
        a.reported("WAITING_DEVICE", null, T0.plusSeconds(120));
        a.reported("INSTALLING", null, T0.plusSeconds(240));
        assertNull(a.waitingSince());

        a.reported("WAITING_DEVICE", null, T0.plusSeconds(600));
        assertEquals(T0.plusSeconds(600), a.waitingSince());
    }

    @Test
    void aNewAttemptIsNotWaitingYet() {
        RolloutAction a = assigned();
        a.reported("WAITING_DEVICE", null, T0.plusSeconds(120));
        a.assigned("a-2", 2, T0.plusSeconds(900));
        assertNull(a.waitingSince());
    }

    private static RolloutAction assigned() {
        RolloutAction a = new RolloutAction("r-1", 0, "dev-1", T0);
        a.assigned("a-1", 1, T0);
        return a;
    }
}
