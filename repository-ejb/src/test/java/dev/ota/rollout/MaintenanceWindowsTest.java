package dev.ota.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.protocol.DirectorTarget;
import dev.ota.protocol.DirectorTarget.InstallWindow;
import dev.ota.tuf.json.CanonicalJson;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaintenanceWindowsTest {
    static final Set<DayOfWeek> DAILY = EnumSet.allOf(DayOfWeek.class);

    static WindowRule daily(String start, int minutes, String zone) {
        return new WindowRule(DAILY, LocalTime.parse(start), Duration.ofMinutes(minutes), zone);
    }

    static List<InstallWindow> threeDays(WindowRule rule, String from) {
        return MaintenanceWindows.expand(List.of(rule), ZoneOffset.UTC, Instant.parse(from), 3);
    }

    static InstallWindow w(String start, String end) {
        return new InstallWindow(Instant.parse(start), Instant.parse(end));
    }

    @Test
    void berlinSpringForwardOpensAMissingLocalTimeAsMuchLaterAsTheGap() {
        // 2026-03-29 02:00 CET jumps to 03:00 CEST: 02:30 does not exist that day and opens at 03:30 CEST.
        assertEquals(List.of(w("2026-03-28T01:30:00Z", "2026-03-28T02:30:00Z"),
                w("2026-03-29T01:30:00Z", "2026-03-29T02:30:00Z"), w("2026-03-30T00:30:00Z", "2026-03-30T01:30:00Z")),
                threeDays(daily("02:30", 60, "Europe/Berlin"), "2026-03-28T00:00:00Z"));
    }

    @Test
    void berlinFallBackOpensATwiceExistingLocalTimeAtTheFirst() {
        // 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:30 exists twice; the window opens at the first (CEST).
        assertEquals(List.of(w("2026-10-24T00:30:00Z", "2026-10-24T01:30:00Z"),
                w("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"), w("2026-10-26T01:30:00Z", "2026-10-26T02:30:00Z")),
                threeDays(daily("02:30", 60, "Europe/Berlin"), "2026-10-24T00:00:00Z"));
    }

    @Test
    void newYorkWindowsKeepTheirLocalStartAndElapsedLengthAcrossBothChanges() {
        WindowRule rule = daily("01:00", 180, "America/New_York");
        // 2026-03-08 02:00 EST jumps to 03:00 EDT: the window opening at 01:00 EST lasts three real hours.
        assertEquals(List.of(w("2026-03-07T06:00:00Z", "2026-03-07T09:00:00Z"),
                w("2026-03-08T06:00:00Z", "2026-03-08T09:00:00Z"),
                w("2026-03-09T05:00:00Z", "2026-03-09T08:00:00Z")),
                threeDays(rule, "2026-03-07T00:00:00Z"));
        // 2026-11-01 02:00 EDT falls back to 01:00 EST: 01:00 exists twice, the first (EDT) is taken.
        assertEquals(List.of(w("2026-10-31T05:00:00Z", "2026-10-31T08:00:00Z"),
                w("2026-11-01T05:00:00Z", "2026-11-01T08:00:00Z"),
                w("2026-11-02T06:00:00Z", "2026-11-02T09:00:00Z")),
                threeDays(rule, "2026-10-31T00:00:00Z"));
    }

    @Test
    void weeklyRuleOpensOnlyOnItsDaysEvenAcrossMidnight() {
        WindowRule weekend = new WindowRule(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(23, 0),
                Duration.ofHours(2), "Europe/Berlin");
        // Monday 2026-06-01 for a week: Saturday and Sunday 23:00 CEST, each into the next day.
        assertEquals(List.of(w("2026-06-06T21:00:00Z", "2026-06-06T23:00:00Z"),
                w("2026-06-07T21:00:00Z", "2026-06-07T23:00:00Z")),
                MaintenanceWindows.expand(List.of(weekend), ZoneOffset.UTC, Instant.parse("2026-06-01T00:00:00Z"), 7));
    }

    @Test
    void aWindowOpenAtTheStartIsIncludedWhole() {
        assertEquals(w("2026-06-01T02:00:00Z", "2026-06-01T03:00:00Z"), MaintenanceWindows.expand(
                List.of(daily("02:00", 60, "UTC")), ZoneOffset.UTC, Instant.parse("2026-06-01T02:30:00Z"), 1).get(0));
    }

    @Test
    void overlappingRulesMergeIntoOneWindow() {
        assertEquals(List.of(w("2026-06-01T02:00:00Z", "2026-06-01T03:30:00Z")), MaintenanceWindows.expand(
                List.of(daily("02:30", 60, "UTC"), daily("02:00", 60, "UTC")), ZoneOffset.UTC,
                Instant.parse("2026-06-01T00:00:00Z"), 1));
    }

    @Test
    void theDevicesOwnZoneComesFromItsAttributesAndFallsBackToUtc() {
        WindowRule own = daily("03:00", 60, WindowRule.DEVICE_ZONE);
        ZoneId ny = MaintenanceWindows.deviceZone(Map.of("timeZone", "America/New_York"));
        assertEquals(ZoneId.of("America/New_York"), ny);
        assertEquals(ZoneOffset.UTC, MaintenanceWindows.deviceZone(Map.of()));
        assertEquals(ZoneOffset.UTC, MaintenanceWindows.deviceZone(Map.of("timeZone", "Nowhere/Special")));
        Instant from = Instant.parse("2026-07-01T00:00:00Z");
        assertEquals(w("2026-07-01T07:00:00Z", "2026-07-01T08:00:00Z"), MaintenanceWindows.expand(List.of(own), ny, from, 1).get(0));
        assertEquals(w("2026-07-01T01:00:00Z", "2026-07-01T02:00:00Z"), MaintenanceWindows.expand(List.of(own),
                ZoneId.of("Europe/Berlin"), from, 1).get(0));
    }

    @Test
    void theNextDaysGiveOneWindowADayAndNoRulesGiveNone() {
        assertEquals(14, MaintenanceWindows.expand(List.of(daily("02:00", 60, "Europe/Berlin")), ZoneOffset.UTC,
                Instant.parse("2026-03-20T12:00:00Z"), 14).size());
        assertEquals(List.of(), MaintenanceWindows.expand(List.of(), ZoneOffset.UTC, Instant.parse("2026-03-20T12:00:00Z"), 14));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceWindows.expand(List.of(), ZoneOffset.UTC,
                Instant.parse("2026-03-20T12:00:00Z"), 0));
    }

    @Test
    void expandedWindowsAreWhatTheDirectorTargetWritesAsInstallWindows() {
        List<InstallWindow> windows = MaintenanceWindows.expand(List.of(daily("02:30", 60, "Europe/Berlin")),
                ZoneOffset.UTC, Instant.parse("2026-03-29T00:00:00Z"), 1);
        DirectorTarget target = new DirectorTarget(Map.of("lock-0042", "lock-v2"), List.of("lock-v2"), 42, "a-9", 1,
                windows, InstallRule.DEFAULT.directorPolicy(Instant.parse("2026-03-28T10:00:00Z")));
        String json = CanonicalJson.encodeToString(target.toJson());
        assertTrue(json.contains("\"installWindows\":[[\"2026-03-29T01:30:00Z\",\"2026-03-29T02:30:00Z\"]]"), json);
        assertEquals(windows, DirectorTarget.fromCustom(target.toJson()).installWindows());
    }

    @Test
    void openTimeCountsOnlyOpenWindowsAndLeavesOutHeldSpans() {
        List<WindowRule> twoHoursDaily = List.of(daily("02:00", 120, "UTC"));
        Instant monday = Instant.parse("2026-06-01T00:00:00Z");
        assertEquals(Duration.ofHours(6), MaintenanceWindows.openTime(twoHoursDaily, ZoneOffset.UTC, monday,
                monday.plus(Duration.ofDays(3)), List.of()));
        // started inside a window
        assertEquals(Duration.ofMinutes(30 + 120), MaintenanceWindows.openTime(twoHoursDaily, ZoneOffset.UTC,
                monday.plus(Duration.ofMinutes(210)), monday.plus(Duration.ofDays(2)), List.of()));
        // held critical from 03:00 to 10:00 on Monday and, overlapping, 02:30 to 03:30
        assertEquals(Duration.ofHours(4).plusMinutes(30), MaintenanceWindows.openTime(twoHoursDaily, ZoneOffset.UTC,
                monday, monday.plus(Duration.ofDays(3)), List.of(new Span(monday.plus(Duration.ofHours(3)),
                        monday.plus(Duration.ofHours(10))), new Span(monday.plus(Duration.ofMinutes(150)),
                        monday.plus(Duration.ofMinutes(210))))));
        assertEquals(Duration.ofDays(3), MaintenanceWindows.openTime(List.of(), ZoneOffset.UTC, monday,
                monday.plus(Duration.ofDays(3)), List.of()), "no windows: always open");
    }
}
