package dev.ota.interop.json;

import dev.ota.tuf.json.JsonValue;

import java.util.Map;
import java.util.Random;

/**
 * Writes a tree as ordinary (RFC 8259) JSON text for transport to Node: canonical JSON itself is not
 * valid input for JSON parsers when strings hold control characters. Randomly varies whitespace and
 * escapes (including surrogate-pair escapes) so both sides' parsers see more than one spelling.
 */
final class JsonText {
    private final Random random;
    private final StringBuilder out = new StringBuilder();

    private JsonText(Random random) {
        this.random = random;
    }

    static String write(JsonValue value, Random random) {
        JsonText text = new JsonText(random);
        text.value(value);
        return text.out.toString();
    }

    private void value(JsonValue v) {
        space();
        if (v instanceof JsonValue.JsonObject o) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                if (!first) out.append(',');
                first = false;
                space();
                string(e.getKey());
                space();
                out.append(':');
                value(e.getValue());
            }
            space();
            out.append('}');
        } else if (v instanceof JsonValue.JsonArray a) {
            out.append('[');
            boolean first = true;
            for (JsonValue e : a.elements()) {
                if (!first) out.append(',');
                first = false;
                value(e);
            }
            space();
            out.append(']');
        } else if (v instanceof JsonValue.JsonString s) {
            string(s.value());
        } else if (v instanceof JsonValue.JsonNumber n) {
            out.append(n.value());
        } else if (v instanceof JsonValue.JsonBoolean b) {
            out.append(b.value());
        } else {
            out.append("null");
        }
        space();
    }

    private void space() {
        if (random.nextInt(8) == 0) out.append(" \n\t\r".charAt(random.nextInt(4)));
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append(random.nextBoolean() ? "\\n" : "\\u000a"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\r': out.append("\\r"); break;
                default: {
                    // A surrogate pair is escaped as two escapes or written raw, never half and half.
                    int units = Character.isHighSurrogate(c) ? 2 : 1;
                    boolean escape = c < 0x20 || random.nextInt(10) == 0;
                    for (int u = 0; u < units; u++) {
                        char unit = s.charAt(i + u);
                        out.append(escape ? String.format("\\u%04x", (int) unit) : String.valueOf(unit));
                    }
                    i += units - 1;
                }
            }
        }
        out.append('"');
    }
}
