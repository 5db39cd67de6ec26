package dev.ota.tuf.metadata;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A top-level role's entry in root: which keys may sign it and how many must. */
public record Role(List<String> keyIds, int threshold, Map<String, JsonValue> unrecognized) {
    private static final Set<String> KNOWN = Set.of("keyids", "threshold");

    public Role {
        keyIds = List.copyOf(keyIds);
        unrecognized = Map.copyOf(unrecognized);
        if (threshold < 1) throw new IllegalArgumentException("threshold must be at least 1");
    }

    public Role(List<String> keyIds, int threshold) {
        this(keyIds, threshold, Map.of());
    }

    static Role fromJson(JsonValue v, String role, String where) {
        JsonObject o = Fields.object(v, where);
        return new Role(Fields.keyIds(o, role, where), Fields.threshold(o, where), Fields.unrecognized(o, KNOWN));
    }

    JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("keyids", Fields.strings(keyIds));
        m.put("threshold", JsonValue.of(threshold));
        return Fields.build(m, unrecognized);
    }
}
