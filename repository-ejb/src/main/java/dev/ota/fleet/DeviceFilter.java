package dev.ota.fleet;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.tuf.json.JsonValue;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which devices an inventory list, a saved filter (group), an assignment or a rollout means: every
 * condition given must hold (absent conditions match everything). Immutable and validated on construction,
 * so a filter that exists is one the query translation ({@link DeviceFilterQuery}) can take as it is.
 * Read from JSON strictly ({@link #fromJson}): an unknown or misspelt field would otherwise widen the
 * group silently, which for a rollout means devices that were never meant to get the release.
 *
 * @param hardwareId        exactly this hardware id
 * @param status            exactly this enrollment status
 * @param tags              every one of these tags
 * @param attributes        every one of these attribute name = value pairs
 * @param installedRelease  some ECU of the device runs the image under this target path (as last reported)
 * @param state             idle, busy or critical (as last reported)
 * @param lastCheckinBefore last check-in strictly before this time
 * @param lastCheckinAfter  last check-in at or after this time
 * @param idPrefix          the device id starts with this (case-sensitive, as ids are)
 * @param text              the device id contains this, ignoring case
 */
public record DeviceFilter(String hardwareId, DeviceStatus status, Set<String> tags, Map<String, String> attributes,
                           String installedRelease, String state, Instant lastCheckinBefore,
                           Instant lastCheckinAfter, String idPrefix, String text) {
    /** The JSON field names, in the order the description lists them. */
    public static final List<String> FIELDS = List.of("hardwareId", "status", "tags", "attributes",
            "installedRelease", "state", "lastCheckinBefore", "lastCheckinAfter", "idPrefix", "text");
    public static final DeviceFilter ALL = new DeviceFilter(null, null, Set.of(), Map.of(), null, null, null, null,
            null, null);
    static final String CODE = "filter.invalid";
    /** The attribute that names a device's own time zone (maintenance windows in "the device's time zone"). */
    public static final String TIME_ZONE = "timeZone";
    static final int MAX_TAGS = 16;
    static final int MAX_ATTRIBUTES = 16;
    static final Set<String> STATES = Set.of("idle", "busy", "critical");
    /** As releases and the device protocol spell hardware ids. */
    private static final Pattern HARDWARE_ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._:-]{0,99}");
    static final Pattern TAG = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._:-]{0,99}");
    static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z][0-9A-Za-z._-]{0,99}");
    static final int MAX_ATTRIBUTE_VALUE = 500;
    private static final Pattern ID_TEXT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final int MAX_PATH = 1000;

    public DeviceFilter {
        tags = tags == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(tags));
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(attributes));
        check(hardwareId == null || HARDWARE_ID.matcher(hardwareId).matches(), "hardwareId",
                "1 to 100 characters of letters, digits and . _ : - (starting with a letter or digit)");
        check(tags.size() <= MAX_TAGS, "tags", "at most " + MAX_TAGS + " tags");
        for (String tag : tags) {
            check(tag != null && TAG.matcher(tag).matches(), "tags",
                    "each tag 1 to 100 characters of letters, digits and . _ : - (starting with a letter or digit)");
        }
        check(attributes.size() <= MAX_ATTRIBUTES, "attributes", "at most " + MAX_ATTRIBUTES + " attributes");
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            checkAttribute(a.getKey(), a.getValue(), "attributes");
        }
        check(installedRelease == null || (!installedRelease.isEmpty() && installedRelease.length() <= MAX_PATH
                && printable(installedRelease)), "installedRelease", "a target path of 1 to 1000 printable characters");
        check(state == null || STATES.contains(state), "state", "one of idle, busy, critical");
        check(lastCheckinBefore == null || lastCheckinAfter == null || lastCheckinAfter.isBefore(lastCheckinBefore),
                "lastCheckinAfter", "a time before lastCheckinBefore");
        check(idPrefix == null || ID_TEXT.matcher(idPrefix).matches(), "idPrefix",
                "1 to 64 characters of letters, digits and . _ -");
        check(text == null || ID_TEXT.matcher(text).matches(), "text", "1 to 64 characters of letters, digits and . _ -");
    }

    /** True when no condition is given: every device matches. */
    public boolean matchesAll() {
        return equals(ALL);
    }

    /** An attribute as stored on a device and as a filter names it; the time zone must be one java.time knows. */
    static void checkAttribute(String name, String value, String field) {
        check(name != null && ATTRIBUTE_NAME.matcher(name).matches(), field,
                "attribute names of 1 to 100 letters, digits and . _ - (starting with a letter)");
        check(value != null && !value.isEmpty() && value.length() <= MAX_ATTRIBUTE_VALUE && printable(value), field,
                "attribute " + name + " to have a value of 1 to " + MAX_ATTRIBUTE_VALUE + " printable characters");
        if (name.equals(TIME_ZONE)) {
            try {
                java.time.ZoneId.of(value);
            } catch (java.time.DateTimeException e) {
                throw new OtaException("device.time-zone-invalid", ErrorKind.INVALID_INPUT, "attribute "
                        + TIME_ZONE + " must be a time zone id such as Europe/Berlin or UTC, not '"
                        + shown(value) + "'");
            }
        }
    }

    /** No control, format (zero width, bidirectional) or lone surrogate characters: what a person reads is what matches. */
    static boolean printable(String s) {
        return s.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.SURROGATE);
    }

    /**
     * The filter a JSON object describes, e.g. {@code {"hardwareId": "lock-v2", "tags": ["eu"],
     * "attributes": {"customer": "acme"}}}. Unknown fields, wrong types and nulls are refused with a 400 that
     * names the field.
     */
    public static DeviceFilter fromJson(JsonValue json) {
        if (!(json instanceof JsonValue.JsonObject object)) {
            throw refused("filter", "a JSON object");
        }
        for (String name : object.members().keySet()) {
            if (!FIELDS.contains(name)) {
                throw new OtaException(CODE, ErrorKind.INVALID_INPUT, "unknown filter field " + shown(name)
                        + "; a filter reads " + String.join(", ", FIELDS));
            }
        }
        Set<String> tags = new TreeSet<>();
        if (object.has("tags")) {
            if (!(object.get("tags") instanceof JsonValue.JsonArray array)) {
                throw refused("tags", "an array of strings");
            }
            for (JsonValue v : array.elements()) {
                if (!(v instanceof JsonValue.JsonString s) || !tags.add(s.value())) {
                    throw refused("tags", "an array of distinct strings");
                }
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        if (object.has("attributes")) {
            if (!(object.get("attributes") instanceof JsonValue.JsonObject attrs)) {
                throw refused("attributes", "an object of name: string value");
            }
            for (Map.Entry<String, JsonValue> a : attrs.members().entrySet()) {
                if (!(a.getValue() instanceof JsonValue.JsonString s)) {
                    throw refused("attributes", "an object of name: string value");
                }
                attributes.put(a.getKey(), s.value());
            }
        }
        String status = string(object, "status");
        DeviceStatus parsedStatus = null;
        if (status != null) {
            try {
                parsedStatus = DeviceStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw refused("status", "one of PENDING, ACCEPTED, REJECTED, DECOMMISSIONED");
            }
        }
        return new DeviceFilter(string(object, "hardwareId"), parsedStatus, tags, attributes,
                string(object, "installedRelease"), string(object, "state"),
                time(string(object, "lastCheckinBefore"), "lastCheckinBefore"),
                time(string(object, "lastCheckinAfter"), "lastCheckinAfter"), string(object, "idPrefix"),
                string(object, "text"));
    }

    /** The same filter as JSON, only the conditions given; {@link #fromJson} reads it back equal. */
    public JsonValue.JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        put(m, "hardwareId", hardwareId);
        put(m, "status", status == null ? null : status.name());
        if (!tags.isEmpty()) {
            m.put("tags", new JsonValue.JsonArray(tags.stream().map(t -> (JsonValue) new JsonValue.JsonString(t)).toList()));
        }
        if (!attributes.isEmpty()) {
            Map<String, JsonValue> a = new LinkedHashMap<>();
            attributes.forEach((k, v) -> a.put(k, new JsonValue.JsonString(v)));
            m.put("attributes", new JsonValue.JsonObject(a));
        }
        put(m, "installedRelease", installedRelease);
        put(m, "state", state);
        put(m, "lastCheckinBefore", lastCheckinBefore == null ? null : lastCheckinBefore.toString());
        put(m, "lastCheckinAfter", lastCheckinAfter == null ? null : lastCheckinAfter.toString());
        put(m, "idPrefix", idPrefix);
        put(m, "text", text);
        return new JsonValue.JsonObject(m);
    }

    /** A time as the device protocol writes it, {@code YYYY-MM-DDTHH:MM:SSZ}; null stays null. */
    public static Instant time(String text, String field) {
        if (text == null) {
            return null;
        }
        if (!TIME.matcher(text).matches()) {
            throw refused(field, "a time YYYY-MM-DDTHH:MM:SSZ");
        }
        try {
            Instant parsed = Instant.parse(text);
            // Instant.parse reads 23:59:60 as 23:59:59; a filter means the time written.
            check(parsed.toString().equals(text), field, "a time YYYY-MM-DDTHH:MM:SSZ that exists");
            return parsed;
        } catch (DateTimeParseException e) {
            throw refused(field, "a time YYYY-MM-DDTHH:MM:SSZ that exists");
        }
    }

    private static void put(Map<String, JsonValue> m, String name, String value) {
        if (value != null) {
            m.put(name, new JsonValue.JsonString(value));
        }
    }

    private static String string(JsonValue.JsonObject o, String name) {
        if (!o.has(name)) {
            return null;
        }
        if (o.get(name) instanceof JsonValue.JsonString s) {
            return s.value();
        }
        throw refused(name, "a string");
    }

    private static void check(boolean ok, String field, String expected) {
        if (!ok) {
            throw refused(field, expected);
        }
    }

    /** Request text as a message quotes it: non-printable-ASCII escaped, shortened, so a hostile value cannot rearrange it. */
    static String shown(String value) {
        return shown(value, 80);
    }

    static String shown(String value, int max) {
        StringBuilder b = new StringBuilder();
        value.codePoints().limit(max).forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("<U+%04X>", c));
            }
        });
        return value.codePointCount(0, value.length()) > max ? b + "..." : b.toString();
    }

    static OtaException refused(String field, String expected) {
        return new OtaException(CODE, ErrorKind.INVALID_INPUT, "filter field " + field + " must be " + expected);
    }
}
