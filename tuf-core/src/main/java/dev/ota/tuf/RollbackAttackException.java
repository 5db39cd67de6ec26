package dev.ota.tuf;

/** A role (or a version a parent lists for it) went backwards, or a role listed before disappeared. */
public final class RollbackAttackException extends RepositoryException {
    private final String role;
    private final long trustedVersion;
    private final long offeredVersion;

    public RollbackAttackException(String role, long trustedVersion, long offeredVersion) {
        super(offeredVersion < 0
                ? role + " was trusted at version " + trustedVersion + " but is no longer listed"
                : role + " version " + offeredVersion + " is lower than trusted version " + trustedVersion);
        this.role = role;
        this.trustedVersion = trustedVersion;
        this.offeredVersion = offeredVersion;
    }

    public String role() { return role; }
    public long trustedVersion() { return trustedVersion; }
    /** The offered version, or -1 when the role disappeared from the listing. */
    public long offeredVersion() { return offeredVersion; }
}
