package dev.ota.repository;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/** A refused repository operation, with a stable code such as {@code release.duplicate}. */
public class RepositoryFailure extends OtaException {
    private static final long serialVersionUID = 1L;

    public RepositoryFailure(String code, ErrorKind kind, String message) {
        super(code, kind, message);
    }

    public RepositoryFailure(String code, ErrorKind kind, String message, Throwable cause) {
        super(code, kind, message, cause);
    }
}
