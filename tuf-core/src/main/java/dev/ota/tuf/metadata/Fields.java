package dev.ota.tuf.metadata;

import dev.ota.tuf.DuplicateKeyIdException;
import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonBoolean;
import dev.ota.tuf.json.JsonValue.JsonNumber;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed reads from a JSON object with error messages that name the field; the parsing vocabulary of this package. */
final class Fields {
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private Fields() {
    }

    static JsonObject object(JsonValue v, String where) {
        if (v instanceof JsonObject o) return o;
        throw new MalformedMetadataException(where, "expected a JSON object but found " + JsonValue.describe(v));
    }

    static JsonValue required(JsonObject o, String name, String where) {
        JsonValue v = o.get(name);
        if (v == null) throw new MalformedMetadataException(where, "missing required field '" + name + "'");
        return v;
    }

    static String string(JsonObject o, String name, String where) {
        JsonValue v = required(o, name, where);
        if (v instanceof JsonString s) return s.value();
        throw new MalformedMetadataException(where + "." + name, "expected a string but found " + JsonValue.describe(v));
    }

    static boolean bool(JsonObject o, String name, String where) {
        JsonValue v = required(o, name, where);
        if (v instanceof JsonBoolean b) return b.value();
        throw new MalformedMetadataException(where + "." + name, "expected true or false but found " + JsonValue.describe(v));
    }

    /** A non-negative integer that fits a long; larger values are rejected rather than wrapped. */
    static long nonNegativeLong(JsonValue v, String where) {
        if (!(v instanceof JsonNumber n)) {
            throw new MalformedMetadataException(where, "expected an integer but found " + JsonValue.describe(v));
        }
        if (n.value().signum() < 0) throw new MalformedMetadataException(where, "must not be negative, got " + n.value());
        if (n.value().compareTo(MAX_LONG) > 0) throw new MalformedMetadataException(where, "is too large: " + n.value());
        return n.value().longValueExact();
    }

    static long version(JsonObject o, String name, String where) {
        long v = nonNegativeLong(required(o, name, where), where + "." + name);
        if (v < 1) throw new MalformedMetadataException(where + "." + name, "must be at least 1, got " + v);
        return v;
    }

    static int threshold(JsonObject o, String where) {
        long t = nonNegativeLong(required(o, "threshold", where), where + ".threshold");
        if (t < 1 || t > Integer.MAX_VALUE) throw new MalformedMetadataException(where + ".threshold", "must be a positive int, got " + t);
        return (int) t;
    }

    static List<JsonValue> array(JsonObject o, String name, String where) {
        JsonValue v = required(o, name, where);
        if (v instanceof JsonArray a) return a.elements();
        throw new MalformedMetadataException(where + "." + name, "expected an array but found " + JsonValue.describe(v));
    }

    static List<String> strings(JsonObject o, String name, String where) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonValue e : array(o, name, where)) {
            if (!(e instanceof JsonString s)) {
                throw new MalformedMetadataException(where + "." + name + "[" + i + "]", "expected a string but found " + JsonValue.describe(e));
            }
            out.add(s.value());
            i++;
        }
        return out;
    }

    /** Key ids of a role: strings, each at most once (a repeated id must never count twice towards a threshold). */
    static List<String> keyIds(JsonObject o, String role, String where) {
        List<String> ids = strings(o, "keyids", where);
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) throw new DuplicateKeyIdException(role, id);
        }
        return ids;
    }

    static Map<String, String> stringMap(JsonObject o, String name, String where) {
        JsonObject m = object(required(o, name, where), where + "." + name);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : m.members().entrySet()) {
            if (!(e.getValue() instanceof JsonString s)) {
                throw new MalformedMetadataException(where + "." + name + "." + e.getKey(), "expected a string but found " + JsonValue.describe(e.getValue()));
            }
            out.put(e.getKey(), s.value());
        }
        return out;
    }

    /** Hashes: a non-empty map from algorithm name to lowercase hex digest. */
    static Map<String, String> hashes(JsonObject o, String where) {
        Map<String, String> h = stringMap(o, "hashes", where);
        if (h.isEmpty()) throw new MalformedMetadataException(where + ".hashes", "must list at least one hash");
        for (Map.Entry<String, String> e : h.entrySet()) {
            if (!e.getValue().matches("[0-9a-fA-F]+")) {
                throw new MalformedMetadataException(where + ".hashes." + e.getKey(), "is not a hex digest");
            }
        }
        return h;
    }

    /** Every member not in {@code known}, kept so a round trip re-emits exactly what was signed. */
    static Map<String, JsonValue> unrecognized(JsonObject o, Set<String> known) {
        Map<String, JsonValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
            if (!known.contains(e.getKey())) out.put(e.getKey(), e.getValue());
        }
        return out;
    }


    /** Builds an object: known members first, then the unrecognized ones (canonical encoding sorts anyway). */
    static JsonObject build(Map<String, JsonValue> known, Map<String, JsonValue> unrecognized) {
        Map<String, JsonValue> m = new LinkedHashMap<>(known);
        unrecognized.forEach(m::putIfAbsent);
        return new JsonObject(m);
    }

    static JsonValue strings(List<String> values) {
        List<JsonValue> l = new ArrayList<>();
        for (String s : values) l.add(new JsonString(s));
        return new JsonArray(l);
    }

    static JsonValue stringMap(Map<String, String> values) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, new JsonString(v)));
        return new JsonObject(m);
    }
}
