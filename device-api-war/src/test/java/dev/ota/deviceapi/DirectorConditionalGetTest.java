package dev.ota.deviceapi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DirectorConditionalGetTest {
    private static final String ETAG = "\"abc\"";
    private static final Instant SIGNED = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void theSameEntityTagIsNotModifiedAnotherIs() {
        assertTrue(DirectorResource.notModified(ETAG, SIGNED, "\"abc\"", null));
        assertTrue(DirectorResource.notModified(ETAG, SIGNED, "\"x\", W/\"abc\"", null));
        assertTrue(DirectorResource.notModified(ETAG, SIGNED, "*", null));
        assertFalse(DirectorResource.notModified(ETAG, SIGNED, "\"abd\"", null));
    }

    @Test
    void ifNoneMatchDecidesOverIfModifiedSince() {
        assertFalse(DirectorResource.notModified(ETAG, SIGNED, "\"old\"", "Wed, 25 Nov 2026 10:00:00 GMT"));
    }

    @Test
    void aTimestampSignedAfterTheGivenDateIsModified() {
        assertTrue(DirectorResource.notModified(ETAG, SIGNED, null, "Wed, 25 Nov 2026 10:00:00 GMT"));
        assertTrue(DirectorResource.notModified(ETAG, SIGNED, null, "Wed, 25 Nov 2026 11:00:00 GMT"));
        assertFalse(DirectorResource.notModified(ETAG, SIGNED, null, "Wed, 25 Nov 2026 09:59:59 GMT"));
    }

    @Test
    void anUnreadableDateOrNoConditionIsModified() {
        assertFalse(DirectorResource.notModified(ETAG, SIGNED, null, "yesterday"));
        assertFalse(DirectorResource.notModified(ETAG, SIGNED, null, null));
    }
}
