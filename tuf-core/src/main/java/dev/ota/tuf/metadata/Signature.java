package dev.ota.tuf.metadata;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** One entry of an envelope's {@code signatures}: key id and hex-encoded signature. */
public record Signature(String keyId, String sig, Map<String, JsonValue> unrecognized) {
    private static final Set<String> KNOWN = Set.of("keyid", "sig");

    public Signature {
        unrecognized = Map.copyOf(unrecognized);
    }

    public Signature(String keyId, String sig) {
        this(keyId, sig, Map.of());
    }

    public static Signature fromJson(JsonValue v, String where) {
        JsonObject o = Fields.object(v, where);
        return new Signature(Fields.string(o, "keyid", where), Fields.string(o, "sig", where), Fields.unrecognized(o, KNOWN));
    }

    public JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("keyid", new JsonString(keyId));
        m.put("sig", new JsonString(sig));
        return Fields.build(m, unrecognized);
    }
}
