package dev.ota.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ota.rollout.InvalidRollout;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPreviewTest {
    /** A Wednesday, in winter: Berlin is UTC+1, New York UTC-5. */
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static RolloutInput window(String rule, String zone) {
        return new RolloutInput("", "", null, "", "", "", "", "", "", "", "PAUSE", null, rule, "02:00", "120", zone);
    }

    @Test
    void weekendWindowsInBerlinAreShownAsNewYorkEveningsOfTheDayBefore() {
        List<WindowPreview.Row> rows = WindowPreview.of(window("FREQ=WEEKLY;BYDAY=SA,SU", "Europe/Berlin"),
                ZoneId.of("America/New_York"), NOW);

        assertEquals(List.of(
                new WindowPreview.Row("Fri 2026-12-04 20:00", "Fri 2026-12-04 22:00", "America/New_York"),
                new WindowPreview.Row("Sat 2026-12-05 20:00", "Sat 2026-12-05 22:00", "America/New_York"),
                new WindowPreview.Row("Fri 2026-12-11 20:00", "Fri 2026-12-11 22:00", "America/New_York"),
                new WindowPreview.Row("Sat 2026-12-12 20:00", "Sat 2026-12-12 22:00", "America/New_York")), rows);
    }

    @Test
    void aRuleInTheDevicesOwnZoneIsPreviewedAsForADeviceInTheChosenZone() {
        List<WindowPreview.Row> rows = WindowPreview.of(window("FREQ=DAILY", "device"), ZoneId.of("Asia/Tokyo"), NOW);

        assertEquals(14, rows.size(), "one window a day for two weeks");
        assertEquals(new WindowPreview.Row("Thu 2026-12-03 02:00", "Thu 2026-12-03 04:00", "Asia/Tokyo"), rows.get(0));
    }

    @Test
    void anInvalidRuleIsRefusedNamingTheField() {
        InvalidRollout e = assertThrows(InvalidRollout.class, () -> WindowPreview.of(
                window("FREQ=MONTHLY", "UTC"), ZoneId.of("UTC"), NOW));

        assertEquals("windows[0].rule", e.field());
    }

    @Test
    void noRuleHasNoPreview() {
        assertThrows(InvalidRollout.class, () -> WindowPreview.of(window("", "UTC"), ZoneId.of("UTC"), NOW));
    }
}
