package dev.ota.tuf.metadata;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Timestamp metadata: names the current snapshot. */
public record Timestamp(String specVersion, long version, Instant expires, MetaFile snapshotMeta,
                        Map<String, JsonValue> unrecognized) implements RoleMetadata {
    public static final String TYPE = "timestamp";
    private static final Set<String> KNOWN = Set.of("_type", "spec_version", "version", "expires", "meta");

    public Timestamp {
        expires = new Common(specVersion, version, expires).expires();
        unrecognized = Map.copyOf(unrecognized);
    }

    @Override
    public String type() {
        return TYPE;
    }

    public static Timestamp fromJson(JsonObject o, String where) {
        Common c = Common.read(o, TYPE, where);
        JsonObject meta = Fields.object(Fields.required(o, "meta", where), where + ".meta");
        // TUF 4.6: timestamp's meta lists snapshot.json and nothing else.
        if (meta.members().size() != 1 || !meta.has("snapshot.json")) {
            throw new MalformedMetadataException(where + ".meta", "must list exactly 'snapshot.json'");
        }
        return new Timestamp(c.specVersion(), c.version(), c.expires(),
                MetaFile.fromJson(meta.get("snapshot.json"), where + ".meta.snapshot.json"), Fields.unrecognized(o, KNOWN));
    }

    @Override
    public JsonObject toJson() {
        Map<String, JsonValue> m = new Common(specVersion, version, expires).write(TYPE);
        m.put("meta", JsonValue.obj("snapshot.json", snapshotMeta.toJson()));
        return Fields.build(m, unrecognized);
    }
}
