package dev.ota.tuf;

/** A role's version differs from the one its parent (timestamp or snapshot) lists for it. */
public final class MixAndMatchException extends RepositoryException {
    private final String role;
    private final long listedVersion;
    private final long offeredVersion;

    public MixAndMatchException(String role, long listedVersion, long offeredVersion) {
        super(role + " version " + offeredVersion + " does not match version " + listedVersion + " listed by its parent");
        this.role = role;
        this.listedVersion = listedVersion;
        this.offeredVersion = offeredVersion;
    }

    public String role() { return role; }
    public long listedVersion() { return listedVersion; }
    public long offeredVersion() { return offeredVersion; }
}
