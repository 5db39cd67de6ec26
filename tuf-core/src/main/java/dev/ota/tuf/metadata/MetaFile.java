package dev.ota.tuf.metadata;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** An entry of timestamp's or snapshot's {@code meta}: a version, optionally with length and hashes. */
public record MetaFile(long version, OptionalLong length, Map<String, String> hashes, Map<String, JsonValue> unrecognized) {
    private static final Set<String> KNOWN = Set.of("version", "length", "hashes");

    public MetaFile {
        if (version < 1) throw new IllegalArgumentException("version must be at least 1");
        hashes = Collections.unmodifiableMap(new LinkedHashMap<>(hashes)); // order kept: clients fetch by the first listed hash
        unrecognized = Map.copyOf(unrecognized);
    }

    public MetaFile(long version) {
        this(version, OptionalLong.empty(), Map.of(), Map.of());
    }

    /** A meta entry describing exactly these bytes. */
    public static MetaFile describing(long version, Bytes bytes) {
        return new MetaFile(version, OptionalLong.of(bytes.length()), Map.of("sha256", bytes.sha256Hex()), Map.of());
    }

    static MetaFile fromJson(JsonValue v, String where) {
        JsonObject o = Fields.object(v, where);
        long version = Fields.version(o, "version", where);
        OptionalLong length = OptionalLong.empty();
        if (o.has("length")) {
            length = OptionalLong.of(Fields.nonNegativeLong(o.get("length"), where + ".length"));
        }
        Map<String, String> hashes = o.has("hashes") ? Fields.hashes(o, where) : Map.of();
        if (o.has("hashes") && hashes.isEmpty()) throw new MalformedMetadataException(where, "empty hashes");
        return new MetaFile(version, length, hashes, Fields.unrecognized(o, KNOWN));
    }

    JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("version", JsonValue.of(version));
        length.ifPresent(l -> m.put("length", JsonValue.of(l)));
        if (!hashes.isEmpty()) m.put("hashes", Fields.stringMap(hashes));
        return Fields.build(m, unrecognized);
    }
}
