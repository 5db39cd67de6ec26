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

    /**
     * The message a client may read. An {@link ErrorKind#UNAVAILABLE} failure is the server's own
     * trouble (keystore, storage, database) and its message names files on the server, so a client
     * gets the stable code and where an operator looks instead; the caller logs {@link #getMessage()}.
     * Every other kind describes the request and is shown as it is.
     */
    public String clientMessage() {
        return kind != ErrorKind.UNAVAILABLE ? getMessage()
                : "the server cannot do this right now (" + code + "); an operator finds the cause in the"
                        + " server log. Try again later.";
    }
}
