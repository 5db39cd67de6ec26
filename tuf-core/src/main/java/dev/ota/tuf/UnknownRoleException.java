package dev.ota.tuf;

/** A role that the trusted metadata does not define or delegate. */
public final class UnknownRoleException extends RepositoryException {
    private final String role;

    public UnknownRoleException(String role, String problem) {
        super(role + ": " + problem);
        this.role = role;
    }

    public String role() { return role; }
}
