package dev.ota.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowRuleJsonTest {
    @Test
    void rulesReadBackEqualFromTheFormTheDirectorStores() {
        List<WindowRule> rules = List.of(
                new WindowRule(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(2, 0), Duration.ofHours(2),
                        "Europe/Berlin"),
                new WindowRule(EnumSet.allOf(DayOfWeek.class), LocalTime.of(23, 30), Duration.ofMinutes(45),
                        WindowRule.DEVICE_ZONE));

        assertEquals(rules, WindowRule.fromJson(WindowRule.toJson(rules)));
    }

    @Test
    void aWrongRuleNamesItsIndexAndField() {
        InvalidRollout e = assertThrows(InvalidRollout.class, () -> WindowRule.fromJson(Json.parse((
                "[{\"rule\":\"FREQ=DAILY\",\"start\":\"02:00\",\"durationMinutes\":60,\"timeZone\":\"UTC\"},"
                        + "{\"rule\":\"FREQ=HOURLY\",\"start\":\"02:00\",\"durationMinutes\":60,\"timeZone\":\"UTC\"}]")
                        .getBytes(StandardCharsets.UTF_8), "windows")));

        assertEquals("windows[1].rule", e.field());
        assertTrue(e.getMessage().contains("FREQ=DAILY or FREQ=WEEKLY"), e.getMessage());
    }
}
