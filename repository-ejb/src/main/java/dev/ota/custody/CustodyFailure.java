package dev.ota.custody;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/** A refused key operation, with a stable code such as {@code keys.unknown}. */
public class CustodyFailure extends OtaException {
    private static final long serialVersionUID = 1L;

    public CustodyFailure(String code, ErrorKind kind, String message) {
        super(code, kind, message);
    }
}
