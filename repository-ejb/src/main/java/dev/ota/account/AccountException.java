package dev.ota.account;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;

/** A refused account operation: duplicate name, weak password, unknown role, wrong password. */
public class AccountException extends OtaException {
    private static final long serialVersionUID = 1L;

    AccountException(String code, ErrorKind kind, String message) {
        super(code, kind, message);
    }
}
