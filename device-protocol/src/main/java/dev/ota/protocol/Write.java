package dev.ota.protocol;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Builds a document's JSON member by member; optional members that are empty are left out, not written as null. */
final class Write {
    private final Map<String, JsonValue> members = new LinkedHashMap<>();

    static Write document(String type) {
        return new Write().put("_type", type);
    }

    static Write object() {
        return new Write();
    }

    Write put(String name, JsonValue value) {
        members.put(name, value);
        return this;
    }

    Write put(String name, String value) {
        return put(name, JsonValue.of(value));
    }

    Write put(String name, long value) {
        return put(name, JsonValue.of(value));
    }

    Write put(String name, boolean value) {
        return put(name, JsonValue.of(value));
    }

    Write put(String name, Instant time) {
        return put(name, time(time));
    }

    Write put(String name, Optional<String> value) {
        value.ifPresent(v -> put(name, v));
        return this;
    }

    Write put(String name, OptionalLong value) {
        value.ifPresent(v -> put(name, v));
        return this;
    }

    Write strings(String name, List<String> values) {
        return put(name, JsonValue.arr(values.stream().map(JsonValue::of).toList()));
    }

    Write stringMap(String name, Map<String, String> values) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, JsonValue.of(v)));
        return put(name, new JsonObject(m));
    }

    <T> Write objects(String name, Map<String, T> values, java.util.function.Function<T, JsonObject> writer) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, writer.apply(v)));
        return put(name, new JsonObject(m));
    }

    <T> Write array(String name, List<T> values, java.util.function.Function<T, JsonValue> writer) {
        List<JsonValue> l = new ArrayList<>();
        values.forEach(v -> l.add(writer.apply(v)));
        return put(name, JsonValue.arr(l));
    }

    JsonObject json() {
        return new JsonObject(members);
    }

    /** device-api.md: {@code YYYY-MM-DDTHH:MM:SSZ}, UTC, no fractions. */
    static JsonValue time(Instant t) {
        return JsonValue.of(t.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** A time as the protocol carries it; fractions of a second are not representable and are refused. */
    static Instant checkTime(Instant t, String field) {
        if (t.getNano() != 0) throw new IllegalArgumentException(field + " must be whole seconds (the protocol has no fractions)");
        return t;
    }
}
