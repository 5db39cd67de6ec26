package dev.ota.protocol;

import dev.ota.tuf.TufException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonBoolean;
import dev.ota.tuf.json.JsonValue.JsonNumber;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;
import dev.ota.tuf.metadata.Key;

import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Strict, typed reads from one JSON object; every failure names the field by its path. Members a document does
 * not define are ignored, not refused: a newer device's optional field must not lock it out, and signatures are
 * checked over the bytes as received, so nothing a device signed is lost by ignoring it here.
 */
final class Read {
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

    private final JsonObject object;
    private final String path;

    private Read(JsonObject object, String path) {
        this.object = object;
        this.path = path;
    }

    /** {@code value} must be an object; {@code path} names it in errors. */
    static Read object(JsonValue value, String path) {
        if (value instanceof JsonObject o) return new Read(o, path);
        throw new MalformedDocumentException(path, "expected an object but found " + JsonValue.describe(value));
    }

    /** A signed document: an object whose {@code _type} is {@code type}. */
    static Read document(JsonValue value, String type) {
        Read r = object(value, type);
        String actual = r.string("_type");
        if (!actual.equals(type)) throw new MalformedDocumentException(type + "._type", "expected '" + type + "' but found '" + actual + "'");
        return r;
    }

    JsonObject json() {
        return object;
    }

    String path() {
        return path;
    }

    String at(String name) {
        return path + "." + name;
    }

    boolean has(String name) {
        return object.has(name);
    }

    JsonValue required(String name) {
        JsonValue v = object.get(name);
        if (v == null) throw new MalformedDocumentException(at(name), "is required");
        return v;
    }

    Read child(String name) {
        return object(required(name), at(name));
    }

    Optional<Read> optionalChild(String name) {
        return has(name) ? Optional.of(child(name)) : Optional.empty();
    }

    String string(String name) {
        JsonValue v = required(name);
        if (v instanceof JsonString s) return s.value();
        throw new MalformedDocumentException(at(name), "expected a string but found " + JsonValue.describe(v));
    }

    Optional<String> optionalString(String name) {
        return has(name) ? Optional.of(string(name)) : Optional.empty();
    }

    /** A string of 1 to {@code max} characters. */
    String text(String name, int max) {
        String s = string(name);
        if (s.isEmpty() || s.length() > max) {
            throw new MalformedDocumentException(at(name), "must be 1 to " + max + " characters long");
        }
        return s;
    }

    boolean bool(String name) {
        JsonValue v = required(name);
        if (v instanceof JsonBoolean b) return b.value();
        throw new MalformedDocumentException(at(name), "expected true or false but found " + JsonValue.describe(v));
    }

    long nonNegative(String name) {
        return nonNegative(required(name), at(name));
    }

    OptionalLong optionalNonNegative(String name) {
        return has(name) ? OptionalLong.of(nonNegative(name)) : OptionalLong.empty();
    }

    long positive(String name) {
        long v = nonNegative(name);
        if (v < 1) throw new MalformedDocumentException(at(name), "must be at least 1, got " + v);
        return v;
    }

    static long nonNegative(JsonValue v, String path) {
        if (!(v instanceof JsonNumber n)) throw new MalformedDocumentException(path, "expected an integer but found " + JsonValue.describe(v));
        if (n.value().signum() < 0) throw new MalformedDocumentException(path, "must not be negative, got " + n.value());
        if (n.value().compareTo(MAX_LONG) > 0) throw new MalformedDocumentException(path, "is too large: " + n.value());
        return n.value().longValueExact();
    }

    Instant time(String name) {
        return time(string(name), at(name));
    }

    static Instant time(String text, String path) {
        if (!TIME.matcher(text).matches()) {
            throw new MalformedDocumentException(path, "expected a UTC time as YYYY-MM-DDTHH:MM:SSZ but found '" + text + "'");
        }
        Instant parsed;
        try {
            parsed = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedDocumentException(path, "is not a valid time: '" + text + "'");
        }
        // Instant.parse reads a leap second 23:59:60 as 23:59:59: the time read must be the one signed.
        if (!parsed.toString().equals(text)) {
            throw new MalformedDocumentException(path, "is not a valid time: '" + text + "'");
        }
        return parsed;
    }

    String deviceId(String name) {
        String id = string(name);
        checkDeviceId(id, at(name));
        return id;
    }

    static void checkDeviceId(String id, String path) {
        if (!DEVICE_ID.matcher(id).matches()) {
            throw new MalformedDocumentException(path, "a device id is 1 to 64 characters of A-Z a-z 0-9 . _ -, not starting with '.'");
        }
    }

    List<JsonValue> array(String name) {
        JsonValue v = required(name);
        if (v instanceof JsonArray a) return a.elements();
        throw new MalformedDocumentException(at(name), "expected an array but found " + JsonValue.describe(v));
    }

    List<String> strings(String name) {
        List<String> out = new ArrayList<>();
        List<JsonValue> elements = array(name);
        for (int i = 0; i < elements.size(); i++) {
            if (!(elements.get(i) instanceof JsonString s)) {
                throw new MalformedDocumentException(at(name) + "[" + i + "]", "expected a string but found " + JsonValue.describe(elements.get(i)));
            }
            out.add(s.value());
        }
        return out;
    }

    /** An object of objects, each read by {@code reader} with its path. */
    <T> Map<String, T> objects(String name, java.util.function.Function<Read, T> reader) {
        Read m = child(name);
        Map<String, T> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : m.object.members().entrySet()) {
            out.put(e.getKey(), reader.apply(object(e.getValue(), m.at(e.getKey()))));
        }
        return out;
    }

    Map<String, String> stringMap(String name) {
        Read m = child(name);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> e : m.object.members().entrySet()) {
            if (!(e.getValue() instanceof JsonString s)) {
                throw new MalformedDocumentException(m.at(e.getKey()), "expected a string but found " + JsonValue.describe(e.getValue()));
            }
            out.put(e.getKey(), s.value());
        }
        return out;
    }

    /** Hashes as TUF lists them: algorithm name to hex digest, at least one. */
    Map<String, String> hashes(String name) {
        Map<String, String> h = stringMap(name);
        if (h.isEmpty()) throw new MalformedDocumentException(at(name), "must list at least one hash");
        h.forEach((alg, hex) -> {
            if (!hex.matches("[0-9a-f]+")) throw new MalformedDocumentException(at(name) + "." + alg, "is not a lowercase hex digest");
        });
        return h;
    }

    /** A TUF key object (device-api.md: the device key), parsed by tuf-core. */
    Key key(String name) {
        try {
            return Key.fromJson(child(name).json(), at(name));
        } catch (TufException e) {
            throw new MalformedDocumentException(at(name), "is not a TUF key object: " + e.getMessage());
        }
    }

    <E extends Enum<E>> E constant(String name, Class<E> type, java.util.function.Function<E, String> wireName) {
        String s = string(name);
        for (E e : type.getEnumConstants()) {
            if (wireName.apply(e).equals(s)) return e;
        }
        throw new MalformedDocumentException(at(name), "unknown value '" + s + "'");
    }

}
