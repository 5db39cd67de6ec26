package dev.ota.release;

import java.util.List;

/**
 * What describes an uploaded file: its target path, release version, the hardware ids it may be
 * installed on, its release counter (null: the server assigns the next one of the product line), free-form {@code custom} fields as a JSON object text (may be null), and the length
 * the request announced: {@link #NOT_DECLARED} when it announced none (a chunked body), or
 * {@link #MALFORMED_DECLARATION} when its framing did not say how long the body is
 * ({@link #declaredLength(String, String)}), which the upload refuses before it reads a byte.
 */
public record ReleaseUpload(String targetPath, String version, List<String> hardwareIds, Long releaseCounter,
                            String customJson, long declaredLength) {
    /** No length was announced: the body is read to its end (and counted against the limit). */
    public static final long NOT_DECLARED = -1;
    /** A {@code Content-Length} that is negative, signed, empty or not a number, or no framing at all. */
    public static final long MALFORMED_DECLARATION = Long.MIN_VALUE;

    public ReleaseUpload {
        hardwareIds = hardwareIds == null ? List.of() : List.copyOf(hardwareIds);
    }

    /**
     * The declared length from the request's framing headers as received (each null when absent). RFC 9110
     * allows only decimal digits in {@code Content-Length}; anything else, a negative number above all, is
     * {@link #MALFORMED_DECLARATION}. So is a request with neither header: HTTP/1.1 gives it no body, and
     * that is what Liberty makes of {@code Content-Length: -5} (it drops the header, reads nothing and takes
     * the bytes that were sent as the next request on the connection). Such an upload must be refused, not
     * stored as an empty release; only a chunked body may leave its length to be counted at its end.
     */
    public static long declaredLength(String contentLength, String transferEncoding) {
        if (contentLength == null) {
            return transferEncoding != null && transferEncoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")
                    ? NOT_DECLARED : MALFORMED_DECLARATION;
        }
        String v = contentLength.strip();
        return v.matches("[0-9]{1,18}") ? Long.parseLong(v) : MALFORMED_DECLARATION;
    }
}
