package dev.ota.deviceapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class DeviceRequestsTest {
    @Test
    void bodyOfExactly64KibIsRead() {
        byte[] body = new byte[DeviceRequests.MAX_BODY_BYTES];
        assertArrayEquals(body, DeviceRequests.body(new ByteArrayInputStream(body), null));
    }

    @Test
    void longerBodyIsRefusedAfterReadingOneBytePastTheLimit() {
        int[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return 'x';
            }
        };
        OtaException e = assertThrows(OtaException.class, () -> DeviceRequests.body(endless, null));
        assertEquals(ErrorKind.TOO_LARGE, e.kind());
        assertEquals(DeviceRequests.MAX_BODY_BYTES + 1, read[0]);
    }

    @Test
    void announcedLengthAboveTheLimitIsRefusedWithoutReading() {
        InputStream untouchable = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read");
            }
        };
        assertEquals(ErrorKind.TOO_LARGE, assertThrows(OtaException.class,
                () -> DeviceRequests.body(untouchable, "65537")).kind());
    }

    @Test
    void bearerTokenIsReadCaseInsensitivelyAndOtherSchemesAreNone() {
        assertEquals("abc", DeviceRequests.bearer("Bearer abc"));
        assertEquals("abc", DeviceRequests.bearer("bearer  abc"));
        assertNull(DeviceRequests.bearer("Basic abc"));
        assertNull(DeviceRequests.bearer(null));
    }
}
