package dev.ota.error;

/**
 * What kind of failure a code stands for, and the one table from kind to HTTP status that every web
 * adapter (both WARs' exception mappers, the file servlet, the portal's filters and authentication)
 * answers with. The status is a plain number: this package knows no HTTP types.
 */
public enum ErrorKind {
    /** The input was wrong; retrying the same input fails again. */
    INVALID_INPUT(400),
    /** The caller could not be authenticated. */
    UNAUTHENTICATED(401),
    /** The caller is known but lacks the role, or the request came the wrong way (plain HTTP). */
    FORBIDDEN(403),
    /** Nothing exists under that name. */
    NOT_FOUND(404),
    /** The method is not one this address answers. */
    METHOD_NOT_ALLOWED(405),
    /** The input conflicts with what is stored (duplicate, wrong state). */
    CONFLICT(409),
    /** The input exceeds a configured limit. */
    TOO_LARGE(413),
    /** The body's media type is not one this address reads. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** The caller asked too often; retry later. */
    TOO_MANY_REQUESTS(429),
    /** A failure the server did not expect: logged, answered without details. */
    INTERNAL(500),
    /** The server cannot serve this now (not bootstrapped, storage unavailable). */
    UNAVAILABLE(503);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    /** The HTTP status a response about this kind of failure carries. */
    public int status() {
        return status;
    }

    /** The kind whose status this is, for a status the container or JAX-RS chose; other 4xx count as input, 5xx as internal. */
    public static ErrorKind ofStatus(int status) {
        for (ErrorKind kind : values()) {
            if (kind.status == status) {
                return kind;
            }
        }
        return status >= 400 && status < 500 ? INVALID_INPUT : INTERNAL;
    }
}
