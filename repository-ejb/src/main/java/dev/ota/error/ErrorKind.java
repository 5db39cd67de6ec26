package dev.ota.error;

/** What kind of failure a code stands for; each adapter maps kinds to its own status codes. */
public enum ErrorKind {
    /** The input was wrong; retrying the same input fails again. */
    INVALID_INPUT,
    /** Nothing exists under that name. */
    NOT_FOUND,
    /** The input conflicts with what is stored (duplicate, wrong state). */
    CONFLICT,
    /** The input exceeds a configured limit. */
    TOO_LARGE,
    /** The caller is known but lacks the role. */
    FORBIDDEN,
    /** The caller could not be authenticated. */
    UNAUTHENTICATED,
    /** The server cannot serve this now (not bootstrapped, storage unavailable). */
    UNAVAILABLE
}
