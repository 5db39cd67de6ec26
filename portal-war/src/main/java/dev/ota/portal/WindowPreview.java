package dev.ota.portal;

import dev.ota.protocol.DirectorTarget.InstallWindow;
import dev.ota.rollout.InvalidRollout;
import dev.ota.rollout.MaintenanceWindows;
import dev.ota.rollout.RolloutDefinition;
import dev.ota.rollout.WindowRule;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The wizard's preview of a maintenance window: the next windows as the server will expand them for the director
 * targets (MaintenanceWindows, the same pure core), shown in a time zone the person chooses. For a rule in "the
 * device's own" zone, the chosen zone stands for the device's. The rule is read by the rollout rules themselves
 * (RolloutDefinition.fromJson on the wizard's own create body), so the preview refuses exactly what creating would.
 */
public final class WindowPreview {
    /** How far ahead the preview looks: two weeks shows every weekly rule at least twice. */
    static final int DAYS = 14;
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ENGLISH);

    /** One window as shown: opening and closing time in the chosen zone. */
    public record Row(String opens, String closes, String zone) {
    }

    private WindowPreview() {
    }

    /**
     * The windows of {@code input}'s rule open at some time in {@code [now, now + DAYS)}, in {@code shownIn}.
     *
     * @throws InvalidRollout naming the field, when the window fields are not a valid rule
     */
    static List<Row> of(RolloutInput input, ZoneId shownIn, Instant now) {
        JsonObject body = input.toJson();
        if (!(body.get("windows") instanceof JsonArray windows) || windows.elements().isEmpty()) {
            throw new InvalidRollout("windows.rule", "given for a preview (FREQ=DAILY or FREQ=WEEKLY;BYDAY=SA,SU)");
        }
        // Only the window is previewed: the other fields may still be empty, so a valid stand-in carries it.
        JsonObject windowOnly = new JsonObject(Map.of("name", JsonValue.of("preview"),
                "targetPath", JsonValue.of("preview"), "filter", new JsonObject(Map.of()),
                "windows", windows));
        List<WindowRule> rules = RolloutDefinition.fromJson(windowOnly).windows();
        List<InstallWindow> expanded = MaintenanceWindows.expand(rules, shownIn, now, DAYS);
        String zone = shownIn.getId();
        return expanded.stream().map(w -> new Row(SHOWN.format(w.start().atZone(shownIn)),
                SHOWN.format(w.end().atZone(shownIn)), zone)).toList();
    }
}
