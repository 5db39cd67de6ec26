package dev.ota.tuf.metadata;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Snapshot metadata: the version of every targets metadata file, keyed by file name ({@code targets.json}). */
public record Snapshot(String specVersion, long version, Instant expires, Map<String, MetaFile> meta,
                       Map<String, JsonValue> unrecognized) implements RoleMetadata {
    public static final String TYPE = "snapshot";
    private static final Set<String> KNOWN = Set.of("_type", "spec_version", "version", "expires", "meta");

    public Snapshot {
        expires = new Common(specVersion, version, expires).expires();
        meta = Map.copyOf(meta);
        unrecognized = Map.copyOf(unrecognized);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The entry for a targets role ({@code "targets"} or a delegated role name), or null. */
    public MetaFile metaFor(String roleName) {
        return meta.get(roleName + ".json");
    }

    public static Snapshot fromJson(JsonObject o, String where) {
        Common c = Common.read(o, TYPE, where);
        JsonObject m = Fields.object(Fields.required(o, "meta", where), where + ".meta");
        Map<String, MetaFile> meta = new LinkedHashMap<>();
        m.members().forEach((name, v) -> meta.put(name, MetaFile.fromJson(v, where + ".meta." + name)));
        return new Snapshot(c.specVersion(), c.version(), c.expires(), meta, Fields.unrecognized(o, KNOWN));
    }

    @Override
    public JsonObject toJson() {
        Map<String, JsonValue> m = new Common(specVersion, version, expires).write(TYPE);
        Map<String, JsonValue> mm = new LinkedHashMap<>();
        meta.forEach((name, f) -> mm.put(name, f.toJson()));
        m.put("meta", new JsonObject(mm));
        return Fields.build(m, unrecognized);
    }
}
