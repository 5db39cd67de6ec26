package dev.ota.director;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.protocol.DirectorTarget.InstallWindow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderWindowsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z"); // a Wednesday
    private static final String TWO_AM_DEVICE = "[{\"durationMinutes\":120,\"rule\":\"FREQ=DAILY\",\"start\":\"02:00\","
            + "\"timeZone\":\"device\"}]";

    @Test
    void anOrderByHandHasNoWindowsAndInstallsWhenReady() {
        assertEquals(List.of(), OrderWindows.at(null, Map.of("timeZone", "Asia/Tokyo"), NOW));
    }

    @Test
    void aRuleInTheDevicesOwnZoneIsExpandedFromItsTimeZoneAttributeIntoUtcInstants() {
        List<InstallWindow> tokyo = OrderWindows.at(TWO_AM_DEVICE, Map.of("timeZone", "Asia/Tokyo"), NOW);

        // 02:00 in Tokyo is 17:00 UTC the day before; the first window still to come opens on the 25th at 17:00.
        assertEquals(new InstallWindow(Instant.parse("2026-11-25T17:00:00Z"), Instant.parse("2026-11-25T19:00:00Z")),
                tokyo.get(0));
        assertEquals(OrderWindows.DAYS, tokyo.size(), "a daily rule: one window per day signed ahead");
    }

    @Test
    void aDeviceWithoutATimeZoneReadsTheRuleInUtcAndStillWaitsForWindows() {
        List<InstallWindow> utc = OrderWindows.at(TWO_AM_DEVICE, Map.of(), NOW);

        assertEquals(new InstallWindow(Instant.parse("2026-11-26T02:00:00Z"), Instant.parse("2026-11-26T04:00:00Z")),
                utc.get(0));
    }

    @Test
    void aWeeklyRuleAlwaysShowsItsNextWindow() {
        String saturdays = "[{\"durationMinutes\":60,\"rule\":\"FREQ=WEEKLY;BYDAY=SA\",\"start\":\"03:00\","
                + "\"timeZone\":\"Europe/Berlin\"}]";

        List<InstallWindow> windows = OrderWindows.at(saturdays, Map.of(), NOW);

        assertEquals(List.of(new InstallWindow(Instant.parse("2026-11-28T02:00:00Z"),
                Instant.parse("2026-11-28T03:00:00Z"))), windows, "the one Saturday in the next 8 days");
    }
}
