package dev.ota.tuf.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * OLPC canonical JSON as securesystemslib encodes it, the form TUF signs: UTF-8, no whitespace, object
 * keys sorted by Unicode code point, integers only, and strings that escape only {@code "} and
 * {@code \} (control characters are emitted raw).
 * <p>
 * Keys are sorted by code point, not by Java's (or JavaScript's) UTF-16 order: the two differ when a key
 * holds a character above U+FFFF next to one in U+E000..U+FFFF. securesystemslib, which python-tuf and
 * most repositories sign with, uses code points; see interop/KNOWN-GAPS.md for tuf-js.
 */
public final class CanonicalJson {
    /** Orders strings by Unicode code point. */
    public static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

    private CanonicalJson() {
    }

    /**
     * Returns the canonical UTF-8 bytes of {@code value}, the bytes a TUF signature covers.
     *
     * @throws IllegalArgumentException if a string or key holds a lone UTF-16 surrogate: it has no UTF-8
     *         form, and writing a replacement character would sign text other than the tree holds
     */
    public static byte[] encode(JsonValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(value, out);
        return out.toByteArray();
    }

    public static String encodeToString(JsonValue value) {
        return new String(encode(value), StandardCharsets.UTF_8);
    }

    private static void write(JsonValue v, ByteArrayOutputStream out) {
        if (v instanceof JsonValue.JsonObject o) {
            List<Map.Entry<String, JsonValue>> entries = new ArrayList<>(o.members().entrySet());
            entries.sort(Map.Entry.comparingByKey(CODE_POINT_ORDER));
            out.write('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : entries) {
                if (!first) out.write(',');
                first = false;
                writeString(e.getKey(), out);
                out.write(':');
                write(e.getValue(), out);
            }
            out.write('}');
        } else if (v instanceof JsonValue.JsonArray a) {
            out.write('[');
            boolean first = true;
            for (JsonValue e : a.elements()) {
                if (!first) out.write(',');
                first = false;
                write(e, out);
            }
            out.write(']');
        } else if (v instanceof JsonValue.JsonString s) {
            writeString(s.value(), out);
        } else if (v instanceof JsonValue.JsonNumber n) {
            out.writeBytes(n.value().toString().getBytes(StandardCharsets.US_ASCII));
        } else if (v instanceof JsonValue.JsonBoolean b) {
            out.writeBytes((b.value() ? "true" : "false").getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void writeString(String s, ByteArrayOutputStream out) {
        out.write('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException("string holds a lone UTF-16 surrogate \\u"
                        + Integer.toHexString(c) + " at index " + i + ", which has no canonical (UTF-8) form");
            }
            if (c == '"' || c == '\\') {
                out.writeBytes(s.substring(start, i).getBytes(StandardCharsets.UTF_8));
                out.write('\\');
                out.write(c);
                start = i + 1;
            }
        }
        out.writeBytes(s.substring(start).getBytes(StandardCharsets.UTF_8));
        out.write('"');
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * Canonical bytes made parsable: OLPC canonical form keeps control characters raw (the newlines of PEM
     * keys), which no JSON parser accepts. Escaping them gives a JSON text that parses to the same tree, so a
     * client re-canonicalises it to exactly the signed bytes. Canonical JSON has no whitespace between tokens,
     * so a byte below 0x20 can only sit inside a string, and no byte of a multi-byte UTF-8 sequence is below
     * 0x80: escaping byte by byte is exact. Without control characters the bytes are returned unchanged.
     */
    public static byte[] toParsableJson(byte[] canonical) {
        ByteArrayOutputStream out = null;
        int start = 0;
        for (int i = 0; i < canonical.length; i++) {
            int b = canonical[i];
            if (b >= 0 && b < 0x20) {
                if (out == null) out = new ByteArrayOutputStream(canonical.length + 64);
                out.write(canonical, start, i - start);
                String escape = switch (b) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    default -> String.format("\\u%04x", b);
                };
                out.writeBytes(escape.getBytes(StandardCharsets.US_ASCII));
                start = i + 1;
            }
        }
        if (out == null) return canonical;
        out.write(canonical, start, canonical.length - start);
        return out.toByteArray();
    }
}
