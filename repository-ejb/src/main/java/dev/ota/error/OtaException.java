package dev.ota.error;

import jakarta.ejb.ApplicationException;

/**
 * Base of every domain exception a service throws on purpose. The code is stable and documented
 * (clients branch on it); the message is for a person. Rolls the transaction back.
 */
@ApplicationException(rollback = true, inherited = true)
public class OtaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final ErrorKind kind;

    public OtaException(String code, ErrorKind kind, String message) {
        super(message);
        this.code = code;
        this.kind = kind;
    }

    public OtaException(String code, ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.kind = kind;
    }

    public String code() {
        return code;
    }

    public ErrorKind kind() {
        return kind;
    }
}
