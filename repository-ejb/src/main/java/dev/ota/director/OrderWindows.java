package dev.ota.director;

import dev.ota.protocol.DirectorTarget.InstallWindow;
import dev.ota.rollout.MaintenanceWindows;
import dev.ota.rollout.WindowRule;
import dev.ota.tuf.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The concrete {@code installWindows} of a rollout's order at one signing (fleet.md: "The server expands the next
 * windows into concrete UTC instants in the director targets; devices never parse rules"). Pure: the stored rules,
 * the device's attributes and the signing time in, the windows out.
 */
final class OrderWindows {
    /**
     * How many days of windows each signing lists: the files expire in a day and are signed again after 12 h, so a
     * device always holds the next week's windows, and a weekly rule always shows one.
     */
    static final int DAYS = 8;

    private OrderWindows() {
    }

    /**
     * @param rulesJson  the order's rules as WindowRule.toJson wrote them; null: an order without windows (install
     *                   when ready), the empty list
     * @param attributes the device's attributes: its {@code timeZone} is the zone of rules in "the device's own"
     */
    static List<InstallWindow> at(String rulesJson, Map<String, String> attributes, Instant now) {
        if (rulesJson == null) {
            return List.of();
        }
        List<WindowRule> rules = WindowRule.fromJson(Json.parse(rulesJson.getBytes(StandardCharsets.UTF_8),
                "window rules"));
        List<InstallWindow> windows = MaintenanceWindows.expand(rules, MaintenanceWindows.deviceZone(attributes), now,
                DAYS);
        if (windows.isEmpty() && !rules.isEmpty()) {
            // Never "install when ready" for an order that has windows; every rule opens at least weekly.
            throw new IllegalStateException("window rules " + rulesJson + " gave no window in " + DAYS + " days");
        }
        return windows;
    }
}
