package dev.ota.deviceapi;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reading what a device sends: bodies up to 64 KiB (device-api.md), the bearer token of its GETs. */
final class DeviceRequests {
    static final int MAX_BODY_BYTES = 64 * 1024;

    private DeviceRequests() {
    }

    /**
     * The body, refused with 413 when longer than 64 KiB: at once when Content-Length says so, else after reading
     * one byte past the limit and no further.
     */
    static byte[] body(InputStream in, String contentLength) {
        if (contentLength != null && contentLength.strip().matches("\\d{1,18}")
                && Long.parseLong(contentLength.strip()) > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        try {
            byte[] bytes = in == null ? new byte[0] : in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
            return bytes;
        } catch (IOException e) {
            throw new OtaException("request.unreadable", ErrorKind.INVALID_INPUT, "the request body could not be read");
        }
    }

    /** The token of {@code Authorization: Bearer <token>}, or null when there is none. */
    static String bearer(String authorization) {
        if (authorization == null) return null;
        String a = authorization.strip();
        if (a.length() < 7 || !a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) return null;
        return a.substring(7).strip();
    }

    private static OtaException tooLarge() {
        return new OtaException("request.too-large", ErrorKind.TOO_LARGE, "a device request body is at most "
                + MAX_BODY_BYTES + " bytes (64 KiB)");
    }
}
