package dev.ota.keys;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/** The keystore cannot be created, opened or read; the message names the file, never a secret. */
public class KeyCustodyException extends OtaException {
    private static final long serialVersionUID = 1L;

    KeyCustodyException(String message, Throwable cause) {
        super("keys.custody", ErrorKind.UNAVAILABLE, message, cause);
    }

    KeyCustodyException(String message) {
        super("keys.custody", ErrorKind.UNAVAILABLE, message);
    }
}
