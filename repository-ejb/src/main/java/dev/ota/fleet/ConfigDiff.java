package dev.ota.fleet;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import java.util.Map;
import java.util.TreeMap;

/**
 * What changed in a device's basic properties from one kept version to another, property by property
 * (top-level names). Values are shown as their canonical JSON text, so {@code "5"} and {@code 5} differ as
 * they do for the device.
 */
public record ConfigDiff(long from, long to, Map<String, String> added, Map<String, String> removed,
                         Map<String, Change> changed) implements java.io.Serializable {
    /** A property present in both versions with different values. */
    public record Change(String from, String to) implements java.io.Serializable {
    }

    public ConfigDiff {
        added = java.util.Collections.unmodifiableMap(new TreeMap<>(added));
        removed = java.util.Collections.unmodifiableMap(new TreeMap<>(removed));
        changed = java.util.Collections.unmodifiableMap(new TreeMap<>(changed));
    }

    /** Pure: the difference between two property objects. */
    public static ConfigDiff of(long fromVersion, JsonValue.JsonObject from, long toVersion, JsonValue.JsonObject to) {
        Map<String, String> added = new TreeMap<>();
        Map<String, String> removed = new TreeMap<>();
        Map<String, Change> changed = new TreeMap<>();
        for (Map.Entry<String, JsonValue> e : to.members().entrySet()) {
            JsonValue before = from.get(e.getKey());
            if (before == null) {
                added.put(e.getKey(), text(e.getValue()));
            } else if (!text(before).equals(text(e.getValue()))) {
                changed.put(e.getKey(), new Change(text(before), text(e.getValue())));
            }
        }
        for (Map.Entry<String, JsonValue> e : from.members().entrySet()) {
            if (!to.has(e.getKey())) {
                removed.put(e.getKey(), text(e.getValue()));
            }
        }
        return new ConfigDiff(fromVersion, toVersion, added, removed, changed);
    }

    private static String text(JsonValue v) {
        return CanonicalJson.encodeToString(v);
    }
}
