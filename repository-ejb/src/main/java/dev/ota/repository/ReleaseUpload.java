package dev.ota.repository;

import java.util.List;

/**
 * What describes an uploaded file: its target path, release version, the hardware ids it may be
 * installed on, free-form {@code custom} fields as a JSON object text (may be null), and the length
 * the request announced: {@link #NOT_DECLARED} when it announced none (a chunked body), or
 * {@link #MALFORMED_DECLARATION} when its {@code Content-Length} was not a length at all
 * ({@link #declaredLength(String)}), which the upload refuses before it reads a byte.
 */
public record ReleaseUpload(String targetPath, String version, List<String> hardwareIds, String customJson,
                            long declaredLength) {
    /** No length was announced: the body is read to its end (and counted against the limit). */
    public static final long NOT_DECLARED = -1;
    /** A {@code Content-Length} that is negative, signed, empty or not a number. */
    public static final long MALFORMED_DECLARATION = Long.MIN_VALUE;

    public ReleaseUpload {
        hardwareIds = hardwareIds == null ? List.of() : List.copyOf(hardwareIds);
    }

    /**
     * The declared length from a {@code Content-Length} header as received (null when absent). RFC 9110
     * allows only decimal digits; anything else, a negative number above all, is
     * {@link #MALFORMED_DECLARATION}: Liberty reads a body of length "-5" as empty and the bytes that
     * were sent as the next request on the connection, so such an upload must be refused, not stored empty.
     */
    public static long declaredLength(String contentLengthHeader) {
        if (contentLengthHeader == null) {
            return NOT_DECLARED;
        }
        String v = contentLengthHeader.strip();
        return v.matches("[0-9]{1,18}") ? Long.parseLong(v) : MALFORMED_DECLARATION;
    }
}
