package dev.ota.tuf.repository;

/** A replace or remove for a path that the role responsible for it does not list. */
public final class TargetNotListedException extends RepositoryEditException {
    private final String path;
    private final String role;

    public TargetNotListedException(String path, String role) {
        super("target '" + path + "' is not listed by " + role);
        this.path = path;
        this.role = role;
    }

    public String path() { return path; }
    public String role() { return role; }
}
