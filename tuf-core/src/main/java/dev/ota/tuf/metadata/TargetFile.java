package dev.ota.tuf.metadata;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A target as targets metadata lists it: length, hashes and optional free-form {@code custom}. */
public record TargetFile(long length, Map<String, String> hashes, Optional<JsonValue> custom,
                         Map<String, JsonValue> unrecognized) {
    private static final Set<String> KNOWN = Set.of("length", "hashes", "custom");

    public TargetFile {
        if (length < 0) throw new IllegalArgumentException("length must not be negative");
        if (hashes.isEmpty()) throw new IllegalArgumentException("a target needs at least one hash");
        hashes = Collections.unmodifiableMap(new LinkedHashMap<>(hashes)); // order kept: clients fetch by the first listed hash
        unrecognized = Map.copyOf(unrecognized);
    }

    /** A target describing exactly these bytes, with a sha256 hash. */
    public static TargetFile describing(Bytes content, Optional<JsonValue> custom) {
        return new TargetFile(content.length(), Map.of("sha256", content.sha256Hex()), custom, Map.of());
    }

    static TargetFile fromJson(JsonValue v, String where) {
        JsonObject o = Fields.object(v, where);
        long length = Fields.nonNegativeLong(Fields.required(o, "length", where), where + ".length");
        return new TargetFile(length, Fields.hashes(o, where), Optional.ofNullable(o.get("custom")), Fields.unrecognized(o, KNOWN));
    }

    JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("length", JsonValue.of(length));
        m.put("hashes", Fields.stringMap(hashes));
        custom.ifPresent(c -> m.put("custom", c));
        return Fields.build(m, unrecognized);
    }
}
