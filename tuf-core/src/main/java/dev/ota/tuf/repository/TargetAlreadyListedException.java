package dev.ota.tuf.repository;

/**
 * An add for a path that is already listed with other content. Replacing a released image must be asked
 * for explicitly ({@link TargetChange#replace}), never happen by a repeated upload.
 */
public final class TargetAlreadyListedException extends RepositoryEditException {
    private final String path;
    private final String role;

    public TargetAlreadyListedException(String path, String role) {
        super("target '" + path + "' is already listed by " + role + " with other content; replace it explicitly");
        this.path = path;
        this.role = role;
    }

    public String path() { return path; }
    public String role() { return role; }
}
