package dev.ota.tuf;

/**
 * Bytes that are not well-formed TUF metadata: invalid or duplicate-key JSON, wrong types, values out of
 * range, unknown key types. {@code where} names the document or field, e.g. {@code "snapshot.meta"}.
 */
public final class MalformedMetadataException extends RepositoryException {
    private final String where;

    public MalformedMetadataException(String where, String problem) {
        super(where + ": " + problem);
        this.where = where;
    }

    public MalformedMetadataException(String where, String problem, Throwable cause) {
        super(where + ": " + problem, cause);
        this.where = where;
    }

    public String where() {
        return where;
    }
}
