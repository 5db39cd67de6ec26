package dev.ota.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.repository.RepositoryFailure;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The release counter rule: strictly increasing per product line, never reused ({@link ReleaseCounters}). */
class ReleaseCountersTest {
    private static final OptionalLong NEXT = OptionalLong.empty();

    @Test
    void theFirstReleaseOfAProductLineGetsCounterOne() {
        assertEquals(1, ReleaseCounters.ofHardwareSets(Map.of("gw-a", 9L)).assign(List.of("lock-v2"), NEXT));
    }

    @Test
    void theNextCounterIsOneAboveTheHighestOfAnyOfTheReleasesHardwareIds() {
        ReleaseCounters counters = ReleaseCounters.ofHardwareSets(Map.of("lock-v2", 4L, "lock-v2,lock-v3", 7L,
                "lock-v9", 100L));

        assertEquals(7, counters.floor(List.of("lock-v2")));
        assertEquals(8, counters.assign(List.of("lock-v3"), NEXT));
        // lock-v3 moved to 8, and lock-v2 shares a release with it, but its own highest is what counts for it.
        assertEquals(8, counters.assign(List.of("lock-v2"), NEXT));
        assertEquals(101, counters.assign(List.of("lock-v2", "lock-v9"), NEXT));
    }

    @Test
    void releasesOfOneLineNumberedInOneGoGetIncreasingCounters() {
        ReleaseCounters counters = ReleaseCounters.ofHardwareSets(Map.of());

        assertEquals(List.of(1L, 2L, 3L), List.of(counters.assign(List.of("gw-a"), NEXT),
                counters.assign(List.of("gw-a"), NEXT), counters.assign(List.of("gw-a", "gw-b"), NEXT)));
        assertEquals(4, counters.assign(List.of("gw-b"), NEXT));
    }

    @Test
    void aGivenCounterAboveTheFloorIsKeptAndRaisesTheFloor() {
        ReleaseCounters counters = ReleaseCounters.ofHardwareSets(Map.of("lock-v2", 41L));

        assertEquals(50, counters.assign(List.of("lock-v2"), OptionalLong.of(50)));
        assertEquals(51, counters.assign(List.of("lock-v2"), NEXT));
    }

    @Test
    void aGivenCounterNotAboveTheFloorIsRefusedNamingTheFloor() {
        ReleaseCounters counters = ReleaseCounters.ofHardwareSets(Map.of("lock-v2", 41L, "gw-a", 3L));

        for (long given : new long[] {41, 40, 1}) {
            RepositoryFailure f = assertThrows(RepositoryFailure.class,
                    () -> counters.assign(List.of("gw-a", "lock-v2"), OptionalLong.of(given)));
            assertEquals("release.counter-not-above", f.code());
            assertEquals(ErrorKind.CONFLICT, f.kind());
            assertTrue(f.getMessage().contains("release counter " + given + " is not above 41"), f.getMessage());
        }
        // The refusal moved nothing.
        assertEquals(42, counters.assign(List.of("lock-v2"), NEXT));
    }

    @Test
    void theHighestCounterIsReadPerHardwareIdFromEveryStoredSetThatNamesIt() {
        ReleaseCounters counters = ReleaseCounters.ofHardwareSets(Map.of("a,b", 5L, "b,c", 9L, "", 3L, "d", 2L));

        assertEquals(5, counters.floor(List.of("a")));
        assertEquals(9, counters.floor(List.of("b")));
        assertEquals(9, counters.floor(List.of("c")));
        assertEquals(2, counters.floor(List.of("d")));
        assertEquals(0, counters.floor(List.of()));
    }

    @Test
    void aLineThatUsedTheLargestPortableCounterHasNoNextOne() {
        ReleaseCounters counters = ReleaseCounters.ofHardwareSets(Map.of("gw-a", ReleaseCounters.MAX));

        assertEquals("release.counter-exhausted", assertThrows(RepositoryFailure.class,
                () -> counters.assign(List.of("gw-a"), NEXT)).code());
    }
}
