package dev.ota.tuf.json;

import dev.ota.tuf.MalformedMetadataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonParseTest {

    private static JsonValue parse(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8), "root.json");
    }

    private static MalformedMetadataException rejects(byte[] bytes) {
        MalformedMetadataException e = assertThrows(MalformedMetadataException.class, () -> Json.parse(bytes, "root.json"));
        assertEquals("root.json", e.where());
        return e;
    }

    private static MalformedMetadataException rejects(String json) {
        return rejects(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string literal whose body is {@code middle}, raw bytes included. */
    private static byte[] quoted(int... middle) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('"');
        for (int b : middle) out.write(b);
        out.write('"');
        return out.toByteArray();
    }

    @Test
    void parsesEveryValueKindItAllows() {
        JsonValue v = parse("{\"s\":\"x\",\"n\":-12,\"t\":true,\"f\":false,\"z\":null,\"a\":[{}]}");
        JsonValue.JsonObject o = assertInstanceOf(JsonValue.JsonObject.class, v);
        assertEquals(List.of("s", "n", "t", "f", "z", "a"), List.copyOf(o.members().keySet()), "document order is kept");
        assertEquals(JsonValue.of("x"), o.get("s"));
        assertEquals(JsonValue.of(-12), o.get("n"));
        assertEquals(JsonValue.of(true), o.get("t"));
        assertEquals(JsonValue.of(false), o.get("f"));
        assertEquals(JsonValue.JsonNull.INSTANCE, o.get("z"));
        assertEquals(JsonValue.arr(List.of(JsonValue.obj())), o.get("a"));
    }

    @Test
    void parsesEscapedSurrogatePairAsOneCodePoint() {
        assertEquals(JsonValue.of("\ud83d\ude00"), parse("\"\\ud83d\\ude00\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\":1,\"a\":1}",
            "{\"a\":1,\"b\":2,\"a\":3}",
            "{\"signed\":{\"version\":1,\"version\":2}}",
            "[{\"k\":{},\"k\":[]}]",
            "{\"a\":1,\"\\u0061\":2}"})
    void rejectsDuplicateObjectKeys(String json) {
        rejects(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "-0.5", "1e3", "1E-2", "0.0", "{\"version\":2.0}", "[1,2.5]", "-0.0", "1e400"})
    void rejectsFloatingPointNumbers(String json) {
        rejects(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}{}", "{} {}", "{}x", "{}}", "1 2", "[] []", "\"a\" \"b\"", "{},", "null null", "{}\u0000"})
    void rejectsTrailingDataAfterTheDocument(String json) {
        rejects(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t\r "})
    void rejectsEmptyDocument(String json) {
        rejects(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"\\ud800\"",
            "\"\\udfff\"",
            "\"x\\ud83d\"",
            "\"\\ude00\\ud83d\"",
            "\"\\ud83d\\u0041\"",
            "{\"\\ud800\":1}",
            "[\"ok\",{\"k\":\"\\udc00\"}]"})
    void rejectsLoneSurrogates(String json) {
        rejects(json);
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        int depth = Json.MAX_DEPTH;
        JsonValue v = parse("[".repeat(depth) + "]".repeat(depth));
        for (int i = 1; i < depth; i++) {
            v = ((JsonValue.JsonArray) v).elements().get(0);
        }
        assertEquals(JsonValue.arr(List.of()), v);
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        int depth = Json.MAX_DEPTH + 1;
        rejects("[".repeat(depth) + "]".repeat(depth));
        rejects("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    }

    @Test
    void rejectsHugeNestingWithoutOverflowingTheStack() {
        rejects("[".repeat(200_000) + "]".repeat(200_000));
    }

    @Test
    void rejectsMalformedUtf8() {
        rejects(quoted(0xC3, 0x28));                   // 2-byte lead followed by ASCII
        rejects(quoted(0x80));                         // continuation byte without lead
        rejects(quoted(0xFF));                         // never valid in UTF-8
        rejects(quoted(0xE2, 0x82));                   // truncated 3-byte sequence
        rejects(new byte[] {'"', (byte) 0xE2, (byte) 0x82}); // truncated at end of input
        rejects(quoted(0xF4, 0x90, 0x80, 0x80));       // above U+10FFFF
        rejects(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}); // inside a key
    }

    @Test
    void rejectsOverlongUtf8ThatWouldDecodeToAscii() {
        // 0xC0 0xAF is an overlong '/': lenient decoders read it as a path separator, others as U+FFFD.
        rejects(quoted(0xC0, 0xAF));
        rejects(quoted(0xE0, 0x80, 0xAF));
        rejects(quoted(0xC1, 0x81));
    }

    @Test
    void rejectsSurrogatesEncodedAsUtf8() {
        rejects(quoted(0xED, 0xA0, 0x80));                         // lone U+D800
        rejects(quoted(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80));       // CESU-8 form of U+1F600
    }

    @Test
    void rejectsDocumentsInOtherUnicodeEncodings() {
        String doc = "{\"a\":1}";
        rejects(doc.getBytes(StandardCharsets.UTF_16BE));
        rejects(doc.getBytes(StandardCharsets.UTF_16LE));
        rejects(doc.getBytes(StandardCharsets.UTF_16));
        rejects(doc.getBytes(Charset.forName("UTF-32BE")));
    }

    @Test
    void rejectsByteOrderMark() {
        rejects(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "NaN", "Infinity", "-Infinity", "01", "+1", "0x10", "'a'", "{a:1}", "/*c*/{}", "[1,]", "{\"a\":1,}",
            "\"a\u0001b\"", "\"tab\there\"", "\"\\x41\"", "{\"a\"}", "{\"a\":}", "[", "{", "\"open", "tru", "nul"})
    void rejectsSyntaxThatIsNotStrictJson(String json) {
        rejects(json);
    }

    @Test
    void rejectsIntegerLiteralLongerThanTheLimit() {
        assertEquals(new JsonValue.JsonNumber(new java.math.BigInteger("9".repeat(100))), parse("9".repeat(100)));
        rejects("9".repeat(101));
    }
}
