package dev.ota.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobLeaseTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private static JobLease free(Instant due) {
        return new JobLease("metadata.refresh", due, null, null);
    }

    @Test
    void aDueFreeJobIsClaimedByTheFirstServerAndHeldAgainstTheSecond() {
        JobLease claimed = free(T0).claim("a", T0, LEASE).orElseThrow();
        assertEquals("a", claimed.holder());
        assertEquals(T0.plus(LEASE), claimed.leaseUntil());
        assertTrue(claimed.claim("b", T0.plusSeconds(1), LEASE).isEmpty(), "b must wait while a's lease stands");
    }

    @Test
    void aJobIsNotClaimedBeforeItIsDue() {
        assertFalse(free(T0.plusSeconds(1)).claimableBy("a", T0));
        assertTrue(free(T0).claimableBy("a", T0), "due exactly now is due");
    }

    @Test
    void aLeaseWhoseHolderDiedIsTakenOverOnceItEnds() {
        JobLease heldByDeadServer = free(T0).claim("a", T0, LEASE).orElseThrow();
        assertTrue(heldByDeadServer.claim("b", T0.plus(LEASE).minusSeconds(1), LEASE).isEmpty());
        JobLease takenOver = heldByDeadServer.claim("b", T0.plus(LEASE), LEASE).orElseThrow();
        assertEquals("b", takenOver.holder());
    }

    @Test
    void finishingReleasesTheLeaseAndSchedulesOneIntervalAfterTheStartSoThePeriodDoesNotDrift() {
        JobLease claimed = free(T0).claim("a", T0, LEASE).orElseThrow();
        JobLease finished = claimed.finish("a", T0, INTERVAL).orElseThrow();
        assertEquals(T0.plus(INTERVAL), finished.nextRunAt());
        assertEquals(null, finished.holder());
        assertFalse(finished.claimableBy("b", T0.plus(INTERVAL).minusMillis(1)));
        assertTrue(finished.claimableBy("b", T0.plus(INTERVAL)));
    }

    @Test
    void aServerThatLostItsLeaseCannotOverwriteTheScheduleOfTheServerThatTookOver() {
        JobLease takenOver = free(T0).claim("a", T0, LEASE).orElseThrow().claim("b", T0.plus(LEASE), LEASE)
                .orElseThrow();
        assertTrue(takenOver.finish("a", T0, INTERVAL).isEmpty(), "a's late finish must not release b's lease");
        assertEquals("b", takenOver.holder());
    }

    @Test
    void aHolderWithoutLeaseEndIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new JobLease("j", T0, "a", null));
        assertThrows(IllegalArgumentException.class, () -> new JobLease("j", T0, null, T0));
    }
}
