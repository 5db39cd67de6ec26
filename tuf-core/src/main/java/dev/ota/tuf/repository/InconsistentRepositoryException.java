package dev.ota.tuf.repository;

/**
 * Stored metadata files that do not form one repository state: snapshot does not list a targets role at its
 * version or hash, timestamp names another snapshot, a hash bin is missing. Publishing on top of such a state
 * would only spread the damage.
 */
public final class InconsistentRepositoryException extends RepositoryEditException {
    private final String role;
    private final String problem;

    public InconsistentRepositoryException(String role, String problem) {
        super(role + ": " + problem);
        this.role = role;
        this.problem = problem;
    }

    public String role() { return role; }
    public String problem() { return problem; }
}
