package dev.ota.tuf.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable JSON tree restricted to what TUF metadata may contain: objects, arrays, strings, integers,
 * booleans and null. Floats are not representable on purpose: canonical JSON forbids them, so a document
 * holding one can never carry a valid signature.
 */
public sealed interface JsonValue {

    /** What kind of value {@code v} is, for messages that say what was expected and what came ("a string"). */
    static String describe(JsonValue v) {
        if (v == null) return "nothing";
        if (v instanceof JsonObject) return "an object";
        if (v instanceof JsonArray) return "an array";
        if (v instanceof JsonString) return "a string";
        if (v instanceof JsonNumber) return "a number";
        if (v instanceof JsonBoolean) return "a boolean";
        return "null";
    }

    /** Object members in document order; canonical encoding sorts them, order here only serves re-display. */
    record JsonObject(Map<String, JsonValue> members) implements JsonValue {
        public JsonObject {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        public JsonValue get(String name) {
            return members.get(name);
        }

        public boolean has(String name) {
            return members.containsKey(name);
        }
    }

    record JsonArray(List<JsonValue> elements) implements JsonValue {
        public JsonArray {
            elements = List.copyOf(elements);
        }
    }

    record JsonString(String value) implements JsonValue {
        public JsonString {
            if (value == null) throw new NullPointerException("value");
        }
    }

    record JsonNumber(BigInteger value) implements JsonValue {
        public JsonNumber {
            if (value == null) throw new NullPointerException("value");
        }

        public static JsonNumber of(long value) {
            return new JsonNumber(BigInteger.valueOf(value));
        }
    }

    record JsonBoolean(boolean value) implements JsonValue {
    }

    enum JsonNull implements JsonValue {
        INSTANCE
    }

    static JsonString of(String s) {
        return new JsonString(s);
    }

    static JsonNumber of(long n) {
        return JsonNumber.of(n);
    }

    static JsonBoolean of(boolean b) {
        return new JsonBoolean(b);
    }

    /** Builds an object keeping the order in which pairs are given: {@code obj("a", x, "b", y)}. */
    static JsonObject obj(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("names and values must pair up");
        Map<String, JsonValue> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], (JsonValue) namesAndValues[i + 1]);
        }
        return new JsonObject(m);
    }

    static JsonArray arr(List<? extends JsonValue> values) {
        return new JsonArray(new ArrayList<>(values));
    }
}
