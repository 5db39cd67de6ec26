package dev.ota.tuf.metadata;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A public key as TUF metadata lists it: {@code {"keytype", "scheme", "keyval": {"public"}}}. The key type
 * and scheme are kept as strings: an unknown one is not malformed metadata, it simply never verifies.
 * Unknown members (e.g. legacy {@code keyid_hash_algorithms}) are kept because they are part of the key id.
 */
public record Key(String keyType, String scheme, String publicValue,
                  Map<String, JsonValue> keyvalUnrecognized, Map<String, JsonValue> unrecognized) {
    private static final Set<String> KNOWN = Set.of("keytype", "scheme", "keyval");
    private static final Set<String> KNOWN_KEYVAL = Set.of("public");

    public Key {
        keyvalUnrecognized = Map.copyOf(keyvalUnrecognized);
        unrecognized = Map.copyOf(unrecognized);
    }

    public Key(String keyType, String scheme, String publicValue) {
        this(keyType, scheme, publicValue, Map.of(), Map.of());
    }

    public static Key fromJson(JsonValue v, String where) {
        JsonObject o = Fields.object(v, where);
        JsonObject keyval = Fields.object(Fields.required(o, "keyval", where), where + ".keyval");
        return new Key(Fields.string(o, "keytype", where), Fields.string(o, "scheme", where),
                Fields.string(keyval, "public", where + ".keyval"),
                Fields.unrecognized(keyval, KNOWN_KEYVAL), Fields.unrecognized(o, KNOWN));
    }

    public JsonObject toJson() {
        Map<String, JsonValue> kv = new LinkedHashMap<>();
        kv.put("public", new JsonString(publicValue));
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("keytype", new JsonString(keyType));
        m.put("scheme", new JsonString(scheme));
        m.put("keyval", Fields.build(kv, keyvalUnrecognized));
        return Fields.build(m, unrecognized);
    }

    /** The TUF key id: hex SHA-256 of the canonical JSON of this key object, as securesystemslib computes it. */
    public String keyId() {
        return Bytes.of(CanonicalJson.encode(toJson())).sha256Hex();
    }
}
