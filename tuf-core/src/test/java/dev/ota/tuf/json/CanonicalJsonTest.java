package dev.ota.tuf.json;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.ota.tuf.json.JsonValue.arr;
import static dev.ota.tuf.json.JsonValue.obj;
import static dev.ota.tuf.json.JsonValue.of;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanonicalJsonTest {

    private static String canonical(JsonValue v) {
        return CanonicalJson.encodeToString(v);
    }

    private static JsonValue parse(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8), "test.json");
    }

    @Test
    void escapesOnlyQuoteAndBackslash() {
        assertEquals("\"say \\\"hi\\\" to C:\\\\dir/file\"", canonical(of("say \"hi\" to C:\\dir/file")));
    }

    @Test
    void writesControlCharactersRawInsteadOfEscaping() {
        String controls = "\u0000\u0001\b\t\n\f\r\u001f\u007f";
        byte[] expected = ("\"" + controls + "\"").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, CanonicalJson.encode(of(controls)));
        assertEquals(controls.length() + 2, expected.length, "each control character is one raw byte");
    }

    @Test
    void writesNonAsciiAsRawUtf8() {
        String text = "\u00e9\u2028\uffff\ud83d\ude00";
        assertArrayEquals(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8), CanonicalJson.encode(of(text)));
    }

    @Test
    void writesNoWhitespaceBetweenTokens() {
        JsonValue v = obj("b", arr(List.of(of(1), of(2), obj("x", JsonValue.JsonNull.INSTANCE))), "a", of(true),
                "c", of(""), "d", arr(List.of()), "e", obj());
        assertEquals("{\"a\":true,\"b\":[1,2,{\"x\":null}],\"c\":\"\",\"d\":[],\"e\":{}}", canonical(v));
    }

    @Test
    void reencodesParsedDocumentWithoutItsWhitespaceAndEscapes() {
        JsonValue v = parse(" {\n  \"z\" : [ 1 , \"\\u0041\\n\\/\" ],\r\n\t\"y\" : false }\n");
        assertEquals("{\"y\":false,\"z\":[1,\"A\n/\"]}", canonical(v));
    }

    @Test
    void sortsKeysByCodePointAtEveryLevel() {
        JsonValue v = obj("b", of(1), "a", obj("y", of(1), "Y", of(2), "", of(3)), "B", of(2), "aa", of(3), "_", of(4));
        assertEquals("{\"B\":2,\"_\":4,\"a\":{\"\":3,\"Y\":2,\"y\":1},\"aa\":3,\"b\":1}", canonical(v));
    }

    @Test
    void sortsNonBmpKeyAfterKeysInE000ToFFFFAsCodePointOrderRequires() {
        String privateUse = "\ue000";
        String fullwidthA = "\uff21";
        String grinning = "\ud83d\ude00"; // U+1F600, UTF-16 units D83D DE00
        // Java's String order (like JavaScript's) compares UTF-16 units and puts the surrogate pair first:
        assertTrue(grinning.compareTo(privateUse) < 0 && grinning.compareTo(fullwidthA) < 0);

        JsonValue v = obj(grinning, of(3), fullwidthA, of(2), privateUse, of(1));
        assertEquals("{\"" + privateUse + "\":1,\"" + fullwidthA + "\":2,\"" + grinning + "\":3}", canonical(v));
    }

    @Test
    void comparesCodePointsWithShorterPrefixFirst() {
        assertTrue(CanonicalJson.compareCodePoints("a", "a\ud83d\ude00") < 0);
        assertTrue(CanonicalJson.compareCodePoints("a\ud83d\ude00", "a") > 0);
        assertTrue(CanonicalJson.compareCodePoints("\ud83d\ude00", "\ud83d\ude01") < 0);
        assertEquals(0, CanonicalJson.compareCodePoints("x\ud83d\ude00", "x\ud83d\ude00"));
        assertTrue(CanonicalJson.compareCodePoints("\uffff", "\ud800\udc00") < 0, "U+FFFF sorts before U+10000");
    }

    @Test
    void keepsIntegersBeyondSixtyFourBitsExact() {
        BigInteger big = BigInteger.TWO.pow(64).add(BigInteger.ONE);
        BigInteger negative = BigInteger.TWO.pow(70).negate();
        JsonValue v = arr(List.of(new JsonValue.JsonNumber(big), new JsonValue.JsonNumber(negative), of(Long.MIN_VALUE)));
        assertEquals("[18446744073709551617,-1180591620717411303424,-9223372036854775808]", canonical(v));
        assertEquals(v, parse(canonical(v)));
    }

    @Test
    void parsesNegativeZeroAsZero() {
        assertEquals(of(0), parse("-0"));
        assertEquals("{\"n\":0}", canonical(parse("{\"n\":-0}")));
    }

    @Test
    void refusesToEncodeLoneSurrogateInsteadOfWritingReplacementCharacter() {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(of("x\ud800y")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(of("\udc00")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(of("\ude00\ud83d")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(obj("k\ud83d", of(1))));
    }
}
