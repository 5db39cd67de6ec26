package dev.ota.agent.sim;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ArrivalScheduleTest {
    @Test
    void theKthArrivalIsDueKOverTheRateAfterTheStartWithoutDriftOverAnHour() {
        ArrivalSchedule s = new ArrivalSchedule(333, Duration.ofHours(1));

        assertEquals(0, s.offsetNanos(0));
        assertEquals(3_003_003, s.offsetNanos(1));
        assertEquals(1_000_000_000L, s.offsetNanos(333));
        // Adding the rounded interval (3,003,003 ns) 1,198,800 times would end 3.6 ms early; each due time is computed from k.
        assertEquals(3_600_000_000_000L, s.offsetNanos(333L * 3600));
    }

    @Test
    void theArrivalsAreThoseDueBeforeTheEndOfTheDuration() {
        assertEquals(19_980, new ArrivalSchedule(333, Duration.ofSeconds(60)).arrivals());
        assertEquals(1_198_800, new ArrivalSchedule(333, Duration.ofHours(1)).arrivals());
        assertEquals(2, new ArrivalSchedule(1.5, Duration.ofSeconds(1)).arrivals(), "due at 0 and 0.667 s");
        assertEquals(1, new ArrivalSchedule(1000, Duration.ofMillis(1)).arrivals(), "the one due at the end is outside");
        assertEquals(2, new ArrivalSchedule(1000, Duration.ofNanos(1_000_001)).arrivals());
        assertEquals(1, new ArrivalSchedule(0.1, Duration.ofSeconds(1)).arrivals(), "the first is due at the start");
    }

    @Test
    void aRateOrDurationThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSchedule(0, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSchedule(-5, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSchedule(Double.NaN, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSchedule(Double.POSITIVE_INFINITY, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSchedule(333, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSchedule(333, Duration.ofSeconds(-1)));
    }
}
