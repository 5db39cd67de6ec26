package dev.ota.tuf.repository;

/**
 * No delegated role of this repository is trusted for the target path, so a client's delegation search would
 * never find the target: listing it anyway would publish something no device could install.
 */
public final class NoDelegationForTargetException extends RepositoryEditException {
    private final String path;

    public NoDelegationForTargetException(String path) {
        super("no delegated role of this repository is trusted for target path '" + path + "'");
        this.path = path;
    }

    public String path() { return path; }
}
