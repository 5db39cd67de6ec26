package dev.ota.tuf.repository;

/**
 * A root edit that would leave a top-level role no key set can sign: no keys, or a threshold above the number of
 * its keys. Clients would refuse every later version of that role (for root: every later root), so the edit is
 * refused before anything is signed.
 */
public final class UnreachableRoleException extends RepositoryEditException {
    private final String role;
    private final int threshold;
    private final int keyCount;

    public UnreachableRoleException(String role, int threshold, int keyCount) {
        super("role '" + role + "' would need " + threshold + " signature(s) but would have "
                + keyCount + " key(s): nobody could sign it");
        this.role = role;
        this.threshold = threshold;
        this.keyCount = keyCount;
    }

    public String role() { return role; }
    public int threshold() { return threshold; }
    public int keyCount() { return keyCount; }
}
