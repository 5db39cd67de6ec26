package dev.ota.tuf.testing;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An edit of the {@code signed} JSON of a metadata file, applied before the simulator signs it, so a test can
 * build metadata that no honest repository (and no record constructor) would produce and still have it carry
 * valid signatures: {@code at("meta", "snapshot.json", "version").set(1)}. Array elements are addressed by
 * their index as a string.
 */
@FunctionalInterface
public interface JsonEdit extends UnaryOperator<JsonObject> {

    /** Leaves the document as it is. */
    static JsonEdit none() {
        return o -> o;
    }

    /** A member reached through objects (by name) and arrays (by index). */
    static At at(String... path) {
        if (path.length == 0) throw new IllegalArgumentException("empty path");
        return new At(List.of(path));
    }

    default JsonEdit and(JsonEdit next) {
        return o -> next.apply(apply(o));
    }

    /** The value at {@code path}, or null if there is none. */
    static JsonValue get(JsonValue root, String... path) {
        JsonValue v = root;
        for (String step : path) {
            if (v instanceof JsonObject o) {
                v = o.get(step);
            } else if (v instanceof JsonArray a) {
                int i = Integer.parseInt(step);
                v = i < a.elements().size() ? a.elements().get(i) : null;
            } else {
                return null;
            }
            if (v == null) return null;
        }
        return v;
    }

    /** A path into the document; its methods make the edits. */
    record At(List<String> path) {
        public JsonEdit set(long number) {
            return set(JsonValue.of(number));
        }

        public JsonEdit set(String text) {
            return set(JsonValue.of(text));
        }

        public JsonEdit set(boolean flag) {
            return set(JsonValue.of(flag));
        }

        /** Sets (or adds) the member, creating nothing on the way: every parent must exist. */
        public JsonEdit set(JsonValue value) {
            return o -> (JsonObject) replace(o, 0, old -> value);
        }

        /** Replaces the member with what {@code change} makes of its current value (null if absent). */
        public JsonEdit change(UnaryOperator<JsonValue> change) {
            return o -> (JsonObject) replace(o, 0, change);
        }

        /** Removes the member (or array element). */
        public JsonEdit remove() {
            return o -> (JsonObject) replace(o, 0, old -> null);
        }

        private JsonValue replace(JsonValue node, int depth, UnaryOperator<JsonValue> change) {
            String step = path.get(depth);
            boolean last = depth == path.size() - 1;
            if (node instanceof JsonObject o) {
                Map<String, JsonValue> m = new LinkedHashMap<>(o.members());
                JsonValue child = m.get(step);
                if (!last && child == null) throw new IllegalArgumentException("no member " + String.join(".", path.subList(0, depth + 1)));
                JsonValue next = last ? change.apply(child) : replace(child, depth + 1, change);
                if (next == null) m.remove(step);
                else m.put(step, next);
                return new JsonObject(m);
            }
            if (node instanceof JsonArray a) {
                List<JsonValue> l = new ArrayList<>(a.elements());
                int i = Integer.parseInt(step);
                JsonValue next = last ? change.apply(i < l.size() ? l.get(i) : null) : replace(l.get(i), depth + 1, change);
                if (next == null) l.remove(i);
                else if (i == l.size()) l.add(next);
                else l.set(i, next);
                return new JsonArray(l);
            }
            throw new IllegalArgumentException("cannot step into " + Arrays.toString(path.subList(0, depth).toArray()));
        }
    }
}
