package dev.ota.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.repository.RepositoryFailure;
import dev.ota.tuf.json.JsonValue;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks every upload and every imported entry pass before anything is stored ({@link Releases#validate}). */
class ReleaseUploadChecksTest {
    private static final long MAX = 1 << 20;

    private static RepositoryFailure refused(ReleaseUpload upload) {
        return assertThrows(RepositoryFailure.class, () -> Releases.validate(upload, MAX));
    }

    private static ReleaseUpload upload(List<String> hardwareIds, String custom, long declaredLength) {
        return new ReleaseUpload("firmware/gw/image.bin", "1.0", hardwareIds, null, custom, declaredLength);
    }

    @Test
    void twentyHardwareIdsOfHundredCharactersAreRefusedBeforeTheColumnOverflows() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(String.format("%02d", i) + "h".repeat(98));
        }

        RepositoryFailure f = refused(upload(ids, null, 10));

        assertEquals("release.invalid-hardware-id", f.code());
        assertEquals(ErrorKind.INVALID_INPUT, f.kind());
        assertTrue(f.getMessage().contains("at most 16 hardware ids; got 20"), f.getMessage());
        // The most that is accepted still fits release.hardware_ids (VARCHAR(2000)) joined with commas.
        assertTrue(String.join(",", ids.subList(0, Releases.MAX_HARDWARE_IDS)).length() <= 2000);
        Releases.validate(upload(ids.subList(0, Releases.MAX_HARDWARE_IDS), null, 10), MAX);
    }

    @Test
    void aHardwareIdWithNulIsRefusedAndShownEscaped() {
        RepositoryFailure f = refused(upload(List.of("gw\u0000"), null, 10));

        assertTrue(f.getMessage().endsWith("got 'gw<U+0000>'"), f.getMessage());
    }

    @Test
    void contentLengthMinusFiveIsRefusedBeforeTheBodyIsRead() {
        assertEquals(ReleaseUpload.MALFORMED_DECLARATION, ReleaseUpload.declaredLength("-5", null));
        // What Liberty hands on for "Content-Length: -5": no framing header at all.
        assertEquals(ReleaseUpload.MALFORMED_DECLARATION, ReleaseUpload.declaredLength(null, null));

        RepositoryFailure f = refused(upload(List.of(), null, ReleaseUpload.declaredLength(null, null)));

        assertEquals("release.invalid-length", f.code());
        assertEquals(ErrorKind.INVALID_INPUT, f.kind());
    }

    @Test
    void readsOnlyDecimalDigitsOrChunkedFramingAsADeclaredLength() {
        assertEquals(ReleaseUpload.NOT_DECLARED, ReleaseUpload.declaredLength(null, "chunked"));
        assertEquals(42, ReleaseUpload.declaredLength("42", null));
        assertEquals(0, ReleaseUpload.declaredLength("0", null));
        for (String bad : List.of("-1", "+5", "", " ", "5, 5", "0x10", "1e3", "99999999999999999999")) {
            assertEquals(ReleaseUpload.MALFORMED_DECLARATION, ReleaseUpload.declaredLength(bad, null), bad);
        }
    }

    @Test
    void customWithAThirtyDigitIntegerIsRefusedAsNotPortable() {
        RepositoryFailure f = refused(upload(List.of(), "{\"build\":123456789012345678901234567890}", 10));

        assertEquals("release.custom-not-portable", f.code());
        assertTrue(f.getMessage().contains("/build") && f.getMessage().contains("2^53"), f.getMessage());
    }

    @Test
    void customWithTheNonBmpAndFullwidthSiblingKeysIsRefusedAsNotPortable() {
        String custom = URLDecoder.decode("%7B%22%EF%BC%A1%22%3A1%2C%22%F0%9F%98%80%22%3A2%7D", StandardCharsets.UTF_8);

        RepositoryFailure f = refused(upload(List.of(), custom, 10));

        assertEquals("release.custom-not-portable", f.code());
        assertTrue(f.getMessage().contains("U+FF21") && f.getMessage().contains("U+1F600"), f.getMessage());
    }

    @Test
    void customWithAFloatIsRefusedByTheStrictParser() {
        assertEquals("release.invalid-custom", refused(upload(List.of(), "{\"x\":1.5}", 10)).code());
    }

    @Test
    void customAtTheSafeIntegerLimitIsAcceptedAndKeptParsableWithoutNul() {
        JsonValue.JsonObject o = Releases.validate(upload(List.of(), "{\"max\":9007199254740991,\"min\":-9007199254740991,"
                + "\"nul\":\"a\\u0000b\"}", 10), MAX).custom();

        assertEquals("{\"max\":9007199254740991,\"min\":-9007199254740991,\"nul\":\"a\\u0000b\"}", Releases.storedCustom(o));
    }

    @Test
    void aCounterInCustomIsTakenAsTheReleaseCounterParameterAndLeavesTheKeptCustomFields() {
        Releases.Checked checked = Releases.validate(upload(List.of("gw-a"), "{\"releaseCounter\":42,\"channel\":\"beta\"}",
                10), MAX);

        assertEquals(java.util.OptionalLong.of(42), checked.releaseCounter());
        assertEquals("{\"channel\":\"beta\"}", Releases.storedCustom(checked.custom()));
    }

    @Test
    void aCounterInCustomThatDiffersFromTheParameterOrIsNoIntegerIsRefused() {
        ReleaseUpload twice = new ReleaseUpload("fw/a.bin", "1.0", List.of("gw-a"), 7L, "{\"releaseCounter\":8}", 10);
        ReleaseUpload text = new ReleaseUpload("fw/a.bin", "1.0", List.of("gw-a"), null, "{\"releaseCounter\":\"8\"}", 10);

        assertEquals("release.invalid-counter", refused(twice).code());
        assertEquals("release.invalid-counter", refused(text).code());
        assertEquals(java.util.OptionalLong.of(8), Releases.validate(new ReleaseUpload("fw/a.bin", "1.0", List.of("gw-a"),
                8L, "{\"releaseCounter\":8}", 10), MAX).releaseCounter());
    }

    @Test
    void aCounterBelowOneOrAboveTheSafeIntegerLimitIsRefusedAsInvalidInput() {
        for (long bad : new long[] {0, -1, ReleaseCounters.MAX + 1}) {
            RepositoryFailure f = refused(new ReleaseUpload("fw/a.bin", "1.0", List.of("gw-a"), bad, null, 10));
            assertEquals("release.invalid-counter", f.code());
            assertEquals(ErrorKind.INVALID_INPUT, f.kind());
        }
        assertEquals(java.util.OptionalLong.of(ReleaseCounters.MAX), Releases.validate(new ReleaseUpload("fw/a.bin", "1.0",
                List.of("gw-a"), ReleaseCounters.MAX, null, 10), MAX).releaseCounter());
    }
}
