package dev.ota.tuf;

/**
 * Root of every failure tuf-core reports on purpose. Unchecked so that pure verification code stays
 * readable, but callers at a process or transaction boundary are expected to catch it: nothing in
 * tuf-core throws any other runtime exception for bad input.
 */
public abstract class TufException extends RuntimeException {
    protected TufException(String message) {
        super(message);
    }

    protected TufException(String message, Throwable cause) {
        super(message, cause);
    }
}
