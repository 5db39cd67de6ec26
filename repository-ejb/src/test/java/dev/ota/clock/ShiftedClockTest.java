package dev.ota.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShiftedClockTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private final Clock base = Clock.fixed(T0, ZoneOffset.UTC);

    @Test
    void withoutTheFileTheTimeIsTheBaseTime(@TempDir Path dir) {
        assertEquals(T0, new ShiftedClock(base, dir.resolve("clock-shift")).instant());
    }

    @Test
    void theTimeFollowsEachNewShiftWrittenToTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("clock-shift");
        ShiftedClock clock = new ShiftedClock(base, file);
        Files.writeString(file, "P30D");
        assertEquals(T0.plus(Duration.ofDays(30)), clock.instant());
        Files.writeString(file, "PT90S\n");
        // The same modification time (coarse file systems) with another size is still seen as a change.
        Files.setLastModifiedTime(file, FileTime.from(T0));
        assertEquals(T0.plusSeconds(90), clock.instant());
        Files.writeString(file, "P31D");
        Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(1)));
        assertEquals(T0.plus(Duration.ofDays(31)), clock.instant());
    }

    @Test
    void anEmptyFileMeansNoShift(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("clock-shift"), "");
        assertEquals(T0, new ShiftedClock(base, file).instant());
    }

    @Test
    void aBackwardShiftIsRefusedSoNothingIsSignedAsOlderThanBefore(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("clock-shift"), "-PT1H");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ShiftedClock(base, file).instant());
        assertTrue(e.getMessage().contains("backwards"), e.getMessage());
    }

    @Test
    void aFileWithoutADurationIsAClearError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("clock-shift"), "tomorrow");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ShiftedClock(base, file).instant());
        assertTrue(e.getMessage().contains("ISO-8601"), e.getMessage());
    }

    @Test
    void withoutTheVariableTheServerRunsOnTheSystemClock() {
        assertEquals(Clock.systemUTC(), ClockProducer.of(null));
        assertEquals(Clock.systemUTC(), ClockProducer.of(" "));
    }
}
