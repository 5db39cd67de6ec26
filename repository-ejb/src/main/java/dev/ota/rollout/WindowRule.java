package dev.ota.rollout;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One maintenance-window rule of a rollout (fleet.md, "Maintenance windows on whole rollouts": a rule, a duration
 * and a time zone, or the device's own). The rule is the part of RFC 5545's RRULE that windows need:
 * {@code FREQ=DAILY}, or {@code FREQ=WEEKLY;BYDAY=MO,TU,...}; anything else is refused rather than half-read, so a
 * rule never means less than it says. JSON: {@code {"rule": "FREQ=WEEKLY;BYDAY=SA,SU", "start": "02:00",
 * "durationMinutes": 120, "timeZone": "Europe/Berlin"}} ({@code "timeZone": "device"}: the device's own).
 *
 * @param days     the days the window opens on, local to the zone (all seven for FREQ=DAILY)
 * @param start    the local time it opens, whole minutes
 * @param duration how long it stays open, in elapsed time (the same length on a DST change day)
 * @param timeZone an IANA zone id, or {@link #DEVICE_ZONE}
 */
public record WindowRule(Set<DayOfWeek> days, LocalTime start, Duration duration, String timeZone) {
    /** The time zone value that means the device's own, from its {@code timeZone} attribute. */
    public static final String DEVICE_ZONE = "device";
    private static final Map<String, DayOfWeek> BYDAY = Map.of("MO", DayOfWeek.MONDAY, "TU", DayOfWeek.TUESDAY,
            "WE", DayOfWeek.WEDNESDAY, "TH", DayOfWeek.THURSDAY, "FR", DayOfWeek.FRIDAY, "SA", DayOfWeek.SATURDAY,
            "SU", DayOfWeek.SUNDAY);

    public WindowRule {
        InvalidRollout.check(days != null && !days.isEmpty(), "windows.rule", "a rule naming at least one day");
        days = Set.copyOf(EnumSet.copyOf(days));
        InvalidRollout.check(start != null && start.getSecond() == 0 && start.getNano() == 0, "windows.start",
                "a local time HH:MM");
        // Up to a week: a longer window would overlap its own next occurrence and mean "always".
        InvalidRollout.check(duration != null && RetryPolicy.minutes(duration) >= 1
                && RetryPolicy.minutes(duration) <= 10080, "windows.durationMinutes", "1 to 10080 whole minutes");
        InvalidRollout.check(timeZone != null && (timeZone.equals(DEVICE_ZONE) || knownZone(timeZone)),
                "windows.timeZone", "an IANA time zone id such as Europe/Berlin, or \"device\"");
    }

    /** Reads {@code FREQ=DAILY} or {@code FREQ=WEEKLY;BYDAY=..}; refuses every other part of RRULE by name. */
    public static Set<DayOfWeek> parseRule(String rule, String field) {
        InvalidRollout.check(rule != null && rule.length() <= 100, field, "FREQ=DAILY or FREQ=WEEKLY;BYDAY=MO,...");
        Map<String, String> parts = new TreeMap<>();
        for (String part : rule.split(";", -1)) {
            int eq = part.indexOf('=');
            InvalidRollout.check(eq > 0 && parts.put(part.substring(0, eq), part.substring(eq + 1)) == null, field,
                    "NAME=VALUE parts separated by ';', each name once (FREQ=WEEKLY;BYDAY=SA,SU)");
        }
        String freq = parts.remove("FREQ");
        String byday = parts.remove("BYDAY");
        InvalidRollout.check(parts.isEmpty(), field, "FREQ and BYDAY only (windows support no " + parts.keySet()
                + "; the start time and duration are fields of their own)");
        if ("DAILY".equals(freq)) {
            InvalidRollout.check(byday == null, field, "FREQ=DAILY without BYDAY (use FREQ=WEEKLY;BYDAY=...)");
            return EnumSet.allOf(DayOfWeek.class);
        }
        InvalidRollout.check("WEEKLY".equals(freq), field, "FREQ=DAILY or FREQ=WEEKLY");
        InvalidRollout.check(byday != null, field, "FREQ=WEEKLY with BYDAY=MO,TU,WE,TH,FR,SA,SU (some of them)");
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String d : byday.split(",", -1)) {
            DayOfWeek day = BYDAY.get(d);
            InvalidRollout.check(day != null && days.add(day), field, "BYDAY of distinct MO,TU,WE,TH,FR,SA,SU");
        }
        return days;
    }

    /** The rule as {@link #parseRule} reads it, days in week order: the canonical text the definition hash covers. */
    public String rule() {
        if (days.size() == 7) {
            return "FREQ=DAILY";
        }
        StringBuilder b = new StringBuilder("FREQ=WEEKLY;BYDAY=");
        EnumSet.copyOf(days).forEach(d -> b.append(d.name(), 0, 2).append(','));
        return b.substring(0, b.length() - 1);
    }

    /** The zone this rule is read in for a device whose own zone is {@code deviceZone}. */
    public ZoneId zoneFor(ZoneId deviceZone) {
        return timeZone.equals(DEVICE_ZONE) ? Objects.requireNonNull(deviceZone, "deviceZone") : ZoneId.of(timeZone);
    }

    /**
     * The rules as a rollout definition writes them ({@code [{"rule", "start", "durationMinutes", "timeZone"}]},
     * the rule in its canonical text): also what the director stores with a rollout's order, so it can expand the
     * windows again whenever it signs the device's targets anew.
     */
    public static JsonArray toJson(List<WindowRule> rules) {
        return new JsonArray(rules.stream().map(w -> {
            java.util.Map<String, JsonValue> m = new LinkedHashMap<>();
            m.put("rule", JsonValue.of(w.rule()));
            m.put("start", JsonValue.of(w.start().toString()));
            m.put("durationMinutes", JsonValue.of(w.duration().toMinutes()));
            m.put("timeZone", JsonValue.of(w.timeZone()));
            return (JsonValue) new JsonObject(m);
        }).toList());
    }

    /** Reads {@link #toJson}'s form; a wrong rule is an {@link InvalidRollout} naming {@code windows[i].field}. */
    public static List<WindowRule> fromJson(JsonValue json) {
        if (!(json instanceof JsonArray a)) {
            throw new InvalidRollout("windows", "an array of window rules");
        }
        List<WindowRule> rules = new ArrayList<>();
        for (int i = 0; i < a.elements().size(); i++) {
            rules.add(one(a.elements().get(i), "windows[" + i + "]"));
        }
        return List.copyOf(rules);
    }

    private static WindowRule one(JsonValue v, String field) {
        JsonObject w = RolloutDefinition.object(v, field);
        RolloutDefinition.known(w, Set.of("rule", "start", "durationMinutes", "timeZone"), field + ".");
        InvalidRollout.check(w.has("rule") && w.has("start") && w.has("durationMinutes") && w.has("timeZone"), field,
                "an object with rule, start, durationMinutes and timeZone");
        String start = RolloutDefinition.string(w.get("start"), field + ".start");
        LocalTime time;
        try {
            InvalidRollout.check(start.matches("\\d{2}:\\d{2}"), field + ".start", "a local time HH:MM");
            time = LocalTime.parse(start);
        } catch (DateTimeParseException e) {
            throw new InvalidRollout(field + ".start", "a local time HH:MM");
        }
        try {
            return new WindowRule(parseRule(RolloutDefinition.string(w.get("rule"), field + ".rule"), field + ".rule"),
                    time, RolloutDefinition.minutes(w, "durationMinutes", null, field + "."),
                    RolloutDefinition.string(w.get("timeZone"), field + ".timeZone"));
        } catch (InvalidRollout e) {
            // The record names the field without its index; the request's reader needs to know which rule.
            throw e.field().startsWith("windows.") ? new InvalidRollout(field + e.field().substring("windows".length()),
                    e.getMessage().substring(e.getMessage().indexOf(" must be ") + " must be ".length())) : e;
        }
    }

    private static boolean knownZone(String id) {
        try {
            ZoneId.of(id);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
