package dev.ota.interop.json;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates JSON trees that stress canonical encoding: nested objects and arrays, strings full of
 * quotes, backslashes, control characters, characters in U+E000..U+FFFF and above U+FFFF, and integers
 * within JavaScript's safe range (beyond it tuf-js would read a different number). Not thread-safe.
 * <p>
 * When {@code avoidUtf16OrderDivergence} is set, a key is not added next to a sibling it would be ordered
 * against differently by code point (our order) and by UTF-16 unit (JavaScript's {@code sort()}); that pair
 * is the known gap tested on its own. Only such pairs are skipped, so keys still mix both ranges.
 */
final class RandomJson {
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private static final String ASCII_SPECIALS = "\"\\/{}[]:,'`$\u007f";
    private static final String[] ODD_KEYS = {"__proto__", "constructor", "toString", "0", "1", "10", "2", "-1", "length", ""};

    private final Random random;
    private final boolean avoidUtf16OrderDivergence;
    private int keysWithNonBmp;
    private int keysWithE000ToFfff;
    private int keysSkippedForDivergence;

    RandomJson(long seed, boolean avoidUtf16OrderDivergence) {
        this.random = new Random(seed);
        this.avoidUtf16OrderDivergence = avoidUtf16OrderDivergence;
    }

    /** A document: usually an object, as TUF metadata is, sometimes an array or a bare value. */
    JsonValue document() {
        int pick = random.nextInt(10);
        if (pick < 7) return object(0);
        if (pick < 9) return array(0);
        return scalar();
    }

    int keysWithNonBmp() {
        return keysWithNonBmp;
    }

    int keysWithE000ToFfff() {
        return keysWithE000ToFfff;
    }

    int keysSkippedForDivergence() {
        return keysSkippedForDivergence;
    }

    private JsonValue value(int depth) {
        if (depth >= 6) return scalar();
        int pick = random.nextInt(10);
        if (pick < 2) return object(depth);
        if (pick < 4) return array(depth);
        return scalar();
    }

    private JsonValue.JsonObject object(int depth) {
        int size = random.nextInt(depth == 0 ? 12 : 6);
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String key = random.nextInt(12) == 0 ? ODD_KEYS[random.nextInt(ODD_KEYS.length)] : string(6);
            if (members.containsKey(key)) continue;
            if (avoidUtf16OrderDivergence && ordersDifferWithAnyOf(key, members.keySet())) {
                keysSkippedForDivergence++;
                continue;
            }
            if (key.codePoints().anyMatch(c -> c > 0xFFFF)) keysWithNonBmp++;
            if (key.chars().anyMatch(c -> c >= 0xE000)) keysWithE000ToFfff++;
            members.put(key, value(depth + 1));
        }
        return new JsonValue.JsonObject(members);
    }

    private static boolean ordersDifferWithAnyOf(String key, Iterable<String> siblings) {
        for (String other : siblings) {
            // String.compareTo compares UTF-16 units, exactly as JavaScript's default sort does.
            if (Integer.signum(CanonicalJson.CODE_POINT_ORDER.compare(key, other)) != Integer.signum(key.compareTo(other))) {
                return true;
            }
        }
        return false;
    }

    private JsonValue.JsonArray array(int depth) {
        int size = random.nextInt(6);
        List<JsonValue> elements = new ArrayList<>(size);
        for (int i = 0; i < size; i++) elements.add(value(depth + 1));
        return new JsonValue.JsonArray(elements);
    }

    private JsonValue scalar() {
        switch (random.nextInt(8)) {
            case 0:
            case 1:
            case 2:
                return JsonValue.of(string(16));
            case 3:
            case 4:
                return new JsonValue.JsonNumber(BigInteger.valueOf(integer()));
            case 5:
                return JsonValue.of(random.nextBoolean());
            case 6:
                return JsonValue.JsonNull.INSTANCE;
            default:
                return JsonValue.of(string(2));
        }
    }

    private long integer() {
        switch (random.nextInt(5)) {
            case 0:
                return random.nextInt(21) - 10;
            case 1:
                return random.nextInt();
            case 2: {
                long[] edges = {0, 1, -1, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, Integer.MAX_VALUE, Integer.MIN_VALUE,
                        1L << 32, 1_000_000_000_000L, 9_007_199_254_740_990L};
                return edges[random.nextInt(edges.length)];
            }
            default: {
                long magnitude = (random.nextLong() >>> 11) % (MAX_SAFE_INTEGER + 1);
                return random.nextBoolean() ? magnitude : -magnitude;
            }
        }
    }

    private String string(int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) sb.appendCodePoint(codePoint());
        return sb.toString();
    }

    private int codePoint() {
        switch (random.nextInt(10)) {
            case 0:
            case 1:
                return 'a' + random.nextInt(26);
            case 2:
                return 0x20 + random.nextInt(0x5f);
            case 3:
                return ASCII_SPECIALS.charAt(random.nextInt(ASCII_SPECIALS.length()));
            case 4:
                return random.nextInt(0x20);
            case 5:
                return 0x80 + random.nextInt(0xD800 - 0x80);
            case 6:
            case 7:
                return 0xE000 + random.nextInt(0x10000 - 0xE000);
            default:
                return 0x10000 + random.nextInt(0x110000 - 0x10000);
        }
    }
}
