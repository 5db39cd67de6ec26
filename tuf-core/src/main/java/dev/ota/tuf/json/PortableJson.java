package dev.ota.tuf.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a JSON tree survives the round trip through the common TUF clients, so that a signature made
 * over its canonical bytes verifies in each of them. Two divergences are possible in a tree that
 * {@link Json} accepts (see interop/KNOWN-GAPS.md, sections 1 and 2):
 * <ul>
 *   <li>an integer beyond +/-(2^53 - 1): JavaScript (tuf-js) reads it as a double, re-encodes another
 *       number and so recomputes other canonical bytes;</li>
 *   <li>two sibling object keys whose order by Unicode code point (securesystemslib, python-tuf,
 *       tuf-core) differs from their order by UTF-16 code unit ({@code @tufjs/canonical-json}): this
 *       happens only when, at the first position where they differ, one holds a character above U+FFFF
 *       and the other one in U+E000..U+FFFF.</li>
 * </ul>
 * Everything else the clients read differently (floats, duplicate keys, lone surrogates, bytes that are not
 * UTF-8) cannot be in a {@link JsonValue} tree at all: the parser refuses it. Pure; no I/O.
 */
public final class PortableJson {
    /** The largest integer every client holds exactly: JavaScript's {@code Number.MAX_SAFE_INTEGER}. */
    public static final BigInteger MAX_SAFE_INTEGER = BigInteger.ONE.shiftLeft(53).subtract(BigInteger.ONE);

    /**
     * Where in the tree a value is not portable and why.
     *
     * @param pointer the value's place as a JSON pointer (RFC 6901), {@code ""} for the whole tree
     * @param reason  a sentence a person understands
     */
    public record Problem(String pointer, String reason) {
        @Override
        public String toString() {
            return (pointer.isEmpty() ? "the value" : "at " + pointer) + ": " + reason;
        }
    }

    private PortableJson() {
    }

    /** The first value of {@code tree} (depth first, keys in canonical order) that a common TUF client cannot round-trip. */
    public static Optional<Problem> firstProblem(JsonValue tree) {
        return check(tree, "");
    }

    /** Whether {@code n} is within +/-(2^53 - 1). */
    public static boolean isSafeInteger(BigInteger n) {
        return n.abs().compareTo(MAX_SAFE_INTEGER) <= 0;
    }

    /**
     * A pair among these sibling keys that code-point order and UTF-16 order sort differently, if any.
     * Checking neighbours in code-point order suffices: if every neighbouring pair is also in UTF-16
     * order, the whole sequence is (the order is transitive), so both sorts agree on every pair.
     */
    public static Optional<List<String>> divergentKeyPair(Collection<String> siblings) {
        List<String> keys = new ArrayList<>(siblings);
        keys.sort(CanonicalJson.CODE_POINT_ORDER);
        for (int i = 0; i + 1 < keys.size(); i++) {
            if (keys.get(i).compareTo(keys.get(i + 1)) > 0) {
                return Optional.of(List.of(keys.get(i), keys.get(i + 1)));
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> check(JsonValue v, String pointer) {
        if (v instanceof JsonValue.JsonNumber n) {
            return isSafeInteger(n.value()) ? Optional.empty() : Optional.of(new Problem(pointer, "the integer "
                    + abbreviated(n.value()) + " is beyond +/-(2^53 - 1), which JavaScript TUF clients (tuf-js) "
                    + "cannot hold exactly, so they would not verify the signature over it"));
        }
        if (v instanceof JsonValue.JsonArray a) {
            for (int i = 0; i < a.elements().size(); i++) {
                Optional<Problem> p = check(a.elements().get(i), pointer + "/" + i);
                if (p.isPresent()) return p;
            }
            return Optional.empty();
        }
        if (v instanceof JsonValue.JsonObject o) {
            Optional<List<String>> pair = divergentKeyPair(o.members().keySet());
            if (pair.isPresent()) {
                return Optional.of(new Problem(pointer, "the keys " + quoted(pair.get().get(0)) + " and "
                        + quoted(pair.get().get(1)) + " sort differently by Unicode code point (python-tuf) and by "
                        + "UTF-16 unit (tuf-js), so the clients would compute different canonical bytes"));
            }
            List<Map.Entry<String, JsonValue>> members = new ArrayList<>(o.members().entrySet());
            members.sort(Map.Entry.comparingByKey(CanonicalJson.CODE_POINT_ORDER));
            for (Map.Entry<String, JsonValue> m : members) {
                Optional<Problem> p = check(m.getValue(), pointer + "/" + escape(m.getKey()));
                if (p.isPresent()) return p;
            }
        }
        return Optional.empty();
    }

    /** RFC 6901: '~' and '/' in a key are written as ~0 and ~1. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** Keys are shown with their code points, since the characters at stake may not render. */
    private static String quoted(String key) {
        StringBuilder b = new StringBuilder("'");
        key.codePoints().limit(40).forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                b.appendCodePoint(c);
            } else {
                b.append(String.format("U+%04X", c));
            }
        });
        return b.append(key.codePointCount(0, key.length()) > 40 ? "...'" : "'").toString();
    }

    private static String abbreviated(BigInteger n) {
        String s = n.toString();
        return s.length() <= 40 ? s : s.substring(0, 20) + "...(" + s.length() + " digits)";
    }
}
