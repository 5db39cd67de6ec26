package dev.ota.deviceapi;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/** Nothing is published under the requested name. */
final class NotServedException extends OtaException {
    private static final long serialVersionUID = 1L;

    NotServedException(String what) {
        super("repository.not-found", ErrorKind.NOT_FOUND, "nothing is published as " + what);
    }
}
