package dev.ota.director;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/** A director request refused on purpose (assignment refused, metadata not found). */
public final class DirectorFailure extends OtaException {
    private static final long serialVersionUID = 1L;

    public DirectorFailure(String code, ErrorKind kind, String message) {
        super(code, kind, message);
    }
}
