package dev.ota.portal.api;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.fleet.DeviceFilter;
import dev.ota.tuf.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A device filter from query parameters, read through the same {@link DeviceFilter#fromJson} as a filter in a
 * body: each JSON field is a parameter of its name, except {@code tag} (repeated, one tag each) and
 * {@code attribute} (repeated, {@code name=value}). Unknown parameters are refused by name, as unknown JSON
 * fields are: a misspelt condition silently dropped would list devices it was meant to exclude.
 */
final class FilterQuery {
    private FilterQuery() {
    }

    /** {@code allowed} are the operation's own parameters (limit, after, ...), read elsewhere. */
    static DeviceFilter read(Map<String, List<String>> query, Set<String> allowed) {
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> p : query.entrySet()) {
            String name = p.getKey();
            List<String> values = p.getValue();
            if (allowed.contains(name)) {
                if (values.size() > 1) {
                    throw refused("query parameter " + name + " is given more than once");
                }
                continue;
            }
            if (name.equals("tag")) {
                fields.put("tags", new JsonValue.JsonArray(values.stream()
                        .map(v -> (JsonValue) new JsonValue.JsonString(v)).toList()));
            } else if (name.equals("attribute")) {
                Map<String, JsonValue> attributes = new LinkedHashMap<>();
                for (String v : values) {
                    int eq = v.indexOf('=');
                    if (eq < 1) {
                        throw refused("query parameter attribute must be name=value");
                    }
                    if (attributes.put(v.substring(0, eq), new JsonValue.JsonString(v.substring(eq + 1))) != null) {
                        throw refused("query parameter attribute names one attribute twice");
                    }
                }
                fields.put("attributes", new JsonValue.JsonObject(attributes));
            } else if (DeviceFilter.FIELDS.contains(name) && !name.equals("tags") && !name.equals("attributes")) {
                if (values.size() != 1) {
                    throw refused("query parameter " + name + " is given more than once");
                }
                fields.put(name, new JsonValue.JsonString(values.get(0)));
            } else {
                throw refused("unknown query parameter " + shown(name) + "; this operation reads tag, attribute, "
                        + String.join(", ", DeviceFilter.FIELDS.stream()
                        .filter(f -> !f.equals("tags") && !f.equals("attributes")).toList())
                        + (allowed.isEmpty() ? "" : ", " + String.join(", ", allowed)));
            }
        }
        return DeviceFilter.fromJson(new JsonValue.JsonObject(fields));
    }

    private static String shown(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("<U+%04X>", c));
            }
        });
        return b.toString();
    }

    private static OtaException refused(String message) {
        return new OtaException("filter.invalid", ErrorKind.INVALID_INPUT, message);
    }
}
