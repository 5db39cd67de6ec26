package dev.ota.agent.fleet;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacingTest {
    private final Pacing pacing = Pacing.DEFAULT;

    @Test
    void waitsAtLeastRetryAfterAndSpreadsAtMostAFifthMore() {
        SplittableRandom random = new SplittableRandom(1);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            Duration d = pacing.afterThrottle(Duration.ofSeconds(120), random);
            assertTrue(d.compareTo(Duration.ofSeconds(120)) >= 0 && d.compareTo(Duration.ofSeconds(144)) <= 0, d.toString());
            seen.add(d);
        }
        assertTrue(seen.size() > 100, "jittered, not one fixed wait");
        Duration small = pacing.afterThrottle(Duration.ofSeconds(1), random);
        assertTrue(small.toMillis() >= 1000 && small.toMillis() <= 2000, "at least a second of spread: " + small);
    }

    @Test
    void checksInAtThePollIntervalTheServerAlreadyJittered() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 100; i++) assertEquals(Duration.ofSeconds(300), pacing.afterCheckin(300, random));
    }

    @Test
    void checksInWithinAGivenJitterEitherSide() {
        Pacing pacing = new Pacing(0.1, 0.2, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(10));
        SplittableRandom random = new SplittableRandom(2);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long ms = pacing.afterCheckin(300, random).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertTrue(min >= 270_000 && max <= 330_000, min + ".." + max);
        assertTrue(min < 275_000 && max > 325_000, "uses the whole range: " + min + ".." + max);
    }

    @Test
    void backsOffExponentiallyUpToTheCap() {
        assertEquals(Duration.ofSeconds(5), pacing.backoffStep(1));
        assertEquals(Duration.ofSeconds(10), pacing.backoffStep(2));
        assertEquals(Duration.ofSeconds(320), pacing.backoffStep(7));
        assertEquals(Duration.ofMinutes(10), pacing.backoffStep(8));
        assertEquals(Duration.ofMinutes(10), pacing.backoffStep(1000));
        SplittableRandom random = new SplittableRandom(3);
        for (int failures = 1; failures < 70; failures++) {
            Duration d = pacing.afterFailure(failures, random);
            Duration step = pacing.backoffStep(failures);
            assertTrue(d.compareTo(step.dividedBy(2)) >= 0 && d.compareTo(step) <= 0, failures + ": " + d);
        }
    }

    @Test
    void readsRetryAfterAsSecondsOrAsAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
        assertEquals(Optional.of(Duration.ofSeconds(30)), DeviceResponses.retryAfter("30", clock));
        assertEquals(Optional.of(Duration.ofSeconds(90)), DeviceResponses.retryAfter("Wed, 25 Nov 2026 10:01:30 GMT", clock));
        assertEquals(Optional.of(Duration.ZERO), DeviceResponses.retryAfter("Wed, 25 Nov 2026 09:00:00 GMT", clock));
        assertEquals(Optional.empty(), DeviceResponses.retryAfter("soon", clock));
        assertEquals(Optional.empty(), DeviceResponses.retryAfter("-5", clock));
    }
}
