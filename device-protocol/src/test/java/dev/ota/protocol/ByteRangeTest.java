package dev.ota.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteRangeTest {
    private static final String ETAG = "\"abc\"";

    private static ByteRange of(String range) {
        return ByteRange.of(range, null, ETAG, 1000);
    }

    @Test
    void anOpenRangeRunsToTheEnd() {
        assertEquals(new ByteRange.Part(400, 999), of("bytes=400-"));
        assertEquals(600, ((ByteRange.Part) of("bytes=400-")).length());
        assertEquals("bytes 400-999/1000", ((ByteRange.Part) of("bytes=400-")).contentRange(1000));
    }

    @Test
    void aClosedRangeIsExactAndClippedToTheFile() {
        assertEquals(new ByteRange.Part(0, 0), of("bytes=0-0"));
        assertEquals(new ByteRange.Part(10, 19), of("bytes=10-19"));
        assertEquals(new ByteRange.Part(990, 999), of("bytes=990-5000"));
        assertEquals(new ByteRange.Part(990, 999), of("bytes=990-99999999999999999999999"));
        assertEquals(new ByteRange.Part(10, 19), of(" Bytes = 10-19 "));
    }

    @Test
    void aSuffixRangeIsTheLastBytes() {
        assertEquals(new ByteRange.Part(900, 999), of("bytes=-100"));
        assertEquals(new ByteRange.Part(0, 999), of("bytes=-5000"));
        assertEquals(ByteRange.UNSATISFIABLE, of("bytes=-0"));
    }

    @Test
    void aRangeStartingAtOrPastTheEndIsUnsatisfiable() {
        assertEquals(ByteRange.UNSATISFIABLE, of("bytes=1000-"));
        assertEquals(ByteRange.UNSATISFIABLE, of("bytes=5000-6000"));
        assertEquals(ByteRange.UNSATISFIABLE, of("bytes=99999999999999999999999-"));
        assertEquals(ByteRange.UNSATISFIABLE, ByteRange.of("bytes=0-", null, ETAG, 0));
    }

    @Test
    void noSeveralOrMalformedRangesGetTheWholeFile() {
        assertEquals(ByteRange.WHOLE, of(null));
        assertEquals(ByteRange.WHOLE, of("bytes=0-1,5-6"));
        assertEquals(ByteRange.WHOLE, of("items=0-1"));
        assertEquals(ByteRange.WHOLE, of("bytes 0-1"));
        assertEquals(ByteRange.WHOLE, of("bytes=5-1"));
        assertEquals(ByteRange.WHOLE, of("bytes=a-"));
        assertEquals(ByteRange.WHOLE, of("bytes=-"));
        assertEquals(ByteRange.WHOLE, of("bytes=+5-"));
        assertEquals(ByteRange.WHOLE, of("bytes=5"));
        assertEquals(ByteRange.WHOLE, of("bytes="));
    }

    @Test
    void ifRangeAppliesTheRangeOnlyForTheFilesOwnEntityTag() {
        assertEquals(new ByteRange.Part(400, 999), ByteRange.of("bytes=400-", ETAG, ETAG, 1000));
        assertEquals(ByteRange.WHOLE, ByteRange.of("bytes=400-", "\"other\"", ETAG, 1000));
        assertEquals(ByteRange.WHOLE, ByteRange.of("bytes=400-", "W/\"abc\"", ETAG, 1000));
        assertEquals(ByteRange.WHOLE, ByteRange.of("bytes=400-", "Wed, 25 Nov 2026 10:00:00 GMT", ETAG, 1000));
    }
}
