package dev.ota.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetriesTest {
    static final Instant T = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void onlyDownloadAndTimeoutFailuresAreRetried() {
        assertTrue(Retries.retryable("download: connection reset"));
        assertTrue(Retries.retryable("timeout: no report"));
        for (String f : List.of("install: no space", "verify: hash mismatch", "attack: rollback", "health: check failed",
                "download", "downloads: x")) {
            assertFalse(Retries.retryable(f), f);
            assertEquals(Optional.empty(), Retries.nextAttemptAt(RetryPolicy.DEFAULT, f, 1, T, new SplittableRandom(1)), f);
        }
        assertEquals("download:", Retries.failureClass("download: connection reset"));
    }

    @Test
    void backoffStartsAtTenMinutesDoublesAndIsCappedAtSixHours() {
        RetryPolicy many = new RetryPolicy(10, Duration.ofMinutes(10), Duration.ofHours(6), Duration.ofDays(1));
        List<Long> minutes = List.of(10L, 20L, 40L, 80L, 160L, 320L, 360L, 360L, 360L);
        for (int attempt = 1; attempt <= minutes.size(); attempt++) {
            assertEquals(Duration.ofMinutes(minutes.get(attempt - 1)), Retries.nominalBackoff(many, attempt), "attempt " + attempt);
        }
    }

    @Test
    void jitterFromTheInjectedRandomStaysInTheUpperHalfOfTheBackoff() {
        SplittableRandom random = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 2000; i++) {
            long s = Duration.between(T, Retries.nextAttemptAt(RetryPolicy.DEFAULT, "download: x", 2, T, random)
                    .orElseThrow()).toSeconds();
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        // attempt 2 failed: nominal 20 min, jittered into [10 min, 20 min]
        assertTrue(min >= 600 && min < 620, "lowest " + min);
        assertTrue(max <= 1200 && max > 1180, "highest " + max);
        assertEquals(Retries.nextAttemptAt(RetryPolicy.DEFAULT, "download: x", 1, T, new SplittableRandom(5)),
                Retries.nextAttemptAt(RetryPolicy.DEFAULT, "download: x", 1, T, new SplittableRandom(5)),
                "the same random gives the same time: tests and replays are deterministic");
    }

    @Test
    void theLastAttemptsFailureIsFinal() {
        assertTrue(Retries.nextAttemptAt(RetryPolicy.DEFAULT, "timeout: x", 2, T, new SplittableRandom(1)).isPresent());
        assertEquals(Optional.empty(), Retries.nextAttemptAt(RetryPolicy.DEFAULT, "timeout: x", 3, T, new SplittableRandom(1)),
                "fleet.md: default 3 attempts");
        assertThrows(IllegalArgumentException.class,
                () -> Retries.nextAttemptAt(RetryPolicy.DEFAULT, "timeout: x", 0, T, new SplittableRandom(1)));
    }

    @Test
    void aTimeoutCountsOnlyOpenWindowTime() {
        // a day of open time, in a two-hour nightly window: twelve nights
        List<WindowRule> nightly = List.of(new WindowRule(EnumSet.allOf(DayOfWeek.class), LocalTime.of(1, 0),
                Duration.ofHours(2), "UTC"));
        Instant assigned = Instant.parse("2026-05-01T12:00:00Z");
        assertFalse(Retries.timedOut(RetryPolicy.DEFAULT, nightly, ZoneOffset.UTC, assigned,
                Instant.parse("2026-05-12T12:00:00Z"), List.of()), "eleven nights are 22 h");
        assertTrue(Retries.timedOut(RetryPolicy.DEFAULT, nightly, ZoneOffset.UTC, assigned,
                Instant.parse("2026-05-13T03:00:00Z"), List.of()), "twelve nights are 24 h");
        assertTrue(Retries.timedOut(RetryPolicy.DEFAULT, List.of(), ZoneOffset.UTC, assigned, assigned.plus(Duration.ofDays(1)),
                List.of()), "no windows: every hour counts");
    }

    @Test
    void timeHeldAsCriticalDoesNotCountTowardsTheTimeout() {
        Instant assigned = Instant.parse("2026-05-01T12:00:00Z");
        Instant dayLater = assigned.plus(Duration.ofDays(1));
        assertFalse(Retries.timedOut(RetryPolicy.DEFAULT, List.of(), ZoneOffset.UTC, assigned, dayLater,
                List.of(new Span(assigned.plus(Duration.ofHours(2)), assigned.plus(Duration.ofHours(3))))));
    }
}
