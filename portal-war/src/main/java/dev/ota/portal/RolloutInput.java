package dev.ota.portal;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonNumber;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the rollout wizard's fields say, written as the management API's create body (device-api.md, "Management
 * calls"), so the page's rollout goes through the same reader, validation and audit as one made through the API.
 * The wizard judges nothing itself: a field that is not a whole number is sent as the text it is, and the rollout
 * rules refuse it by field name ("waves must be ..."), exactly as they refuse it from the API.
 *
 * @param windowRule empty: no maintenance window (install when ready); otherwise the rule, start, duration and zone
 * @param onTrip     PAUSE, CANCEL or ROLLBACK; with ROLLBACK, {@code rollbackPath} names the rollback release
 */
record RolloutInput(String name, String targetPath, JsonObject filter, String canary, String waves, String successPct,
                    String soakMinutes, String minSample, String errorPct, String maxFailed, String onTrip,
                    String rollbackPath, String windowRule, String windowStart, String windowMinutes,
                    String windowZone) {
    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,9}");

    /** The create body, parsable JSON (the service reads it with the same parser as an API request's). */
    byte[] body() {
        return CanonicalJson.toParsableJson(CanonicalJson.encode(toJson()));
    }

    JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("name", text(name));
        m.put("targetPath", text(targetPath));
        if (filter != null) {
            m.put("filter", filter);
        }
        m.put("canary", number(canary));
        m.put("waves", list(waves));
        m.put("successPct", number(successPct));
        m.put("soakMinutes", number(soakMinutes));
        m.put("errorBudget", object("minSample", number(minSample), "errorPct", number(errorPct),
                "maxFailed", number(maxFailed)));
        m.put("onTrip", "ROLLBACK".equals(onTrip) ? object("rollback", text(rollbackPath)) : text(onTrip));
        if (windowRule != null && !windowRule.isBlank()) {
            m.put("windows", new JsonArray(List.of(object("rule", text(windowRule.strip()), "start", text(windowStart),
                    "durationMinutes", number(windowMinutes), "timeZone", text(windowZone)))));
        }
        return new JsonObject(m);
    }

    /** A whole number as a JSON number; anything else as the text typed, for the rules to refuse by name. */
    static JsonValue number(String typed) {
        String s = typed == null ? "" : typed.strip();
        return WHOLE.matcher(s).matches() ? new JsonNumber(new BigInteger(s)) : new JsonString(s);
    }

    /** "10, 50, 100" as cumulative percentages; each element as {@link #number}. */
    static JsonArray list(String typed) {
        List<JsonValue> out = new ArrayList<>();
        for (String part : (typed == null ? "" : typed).split(",")) {
            if (!part.isBlank()) {
                out.add(number(part));
            }
        }
        return new JsonArray(out);
    }

    private static JsonString text(String s) {
        return new JsonString(s == null ? "" : s.strip());
    }

    private static JsonObject object(Object... namesAndValues) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], (JsonValue) namesAndValues[i + 1]);
        }
        return new JsonObject(m);
    }
}
