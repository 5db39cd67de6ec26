package dev.ota.tuf;

/** A version that is not the one the workflow requires, e.g. root N+2 served as {@code N+1.root.json}. */
public final class BadVersionException extends RepositoryException {
    private final String role;
    private final long expectedVersion;
    private final long offeredVersion;

    public BadVersionException(String role, long expectedVersion, long offeredVersion) {
        super(role + " must be version " + expectedVersion + " but is version " + offeredVersion);
        this.role = role;
        this.expectedVersion = expectedVersion;
        this.offeredVersion = offeredVersion;
    }

    public String role() { return role; }
    public long expectedVersion() { return expectedVersion; }
    public long offeredVersion() { return offeredVersion; }
}
