package dev.ota.tuf;

/** The repository's state is hostile or broken: something it served must not be trusted. */
public abstract class RepositoryException extends TufException {
    protected RepositoryException(String message) {
        super(message);
    }

    protected RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
