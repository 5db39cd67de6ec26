package dev.ota.tuf.json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link CanonicalJson#encodeAsJsonText}: the canonical form, made valid JSON where it is not. */
class CanonicalJsonTextTest {
    @Test
    void equalsCanonicalFormWithoutControlCharacters() {
        JsonValue doc = JsonValue.obj("b", JsonValue.of("x\"y\\z\u00e9\ud83d\ude00"), "a", JsonValue.of(7),
                "c", JsonValue.arr(java.util.List.of(JsonValue.of(true), JsonValue.JsonNull.INSTANCE)));

        assertArrayEquals(CanonicalJson.encode(doc), CanonicalJson.encodeAsJsonText(doc));
    }

    @Test
    void escapesEveryControlCharacterAndParsesBackToTheSameTree() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) all.append(c);
        JsonValue doc = JsonValue.obj("k\n", JsonValue.of(all.toString()));

        byte[] text = CanonicalJson.encodeAsJsonText(doc);

        assertEquals("{\"k\\n\":\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
                + "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b"
                + "\\u001c\\u001d\\u001e\\u001f\"}", new String(text, StandardCharsets.UTF_8));
        assertEquals(doc, Json.parse(text, "text"));
    }

    @Test
    void canonicalBytesWithRawControlCharactersParseOnlyAsCanonical() {
        byte[] canonical = CanonicalJson.encode(JsonValue.obj("pem", JsonValue.of("a\nb")));

        assertThrows(dev.ota.tuf.MalformedMetadataException.class, () -> Json.parse(canonical, "strict"));
        assertEquals(JsonValue.obj("pem", JsonValue.of("a\nb")), Json.parseCanonical(canonical, "canonical"));
    }
}
