package dev.ota.account;

import java.util.Set;

/**
 * An authenticated caller: the name the audit log records and the roles the container checks;
 * {@code tokenId} is the API token that authenticated it, null for a password.
 */
public record Caller(String name, Set<String> roles, boolean mustChangePassword, Long tokenId) {
    public Caller {
        roles = Set.copyOf(roles);
    }

    Caller(String name, Set<String> roles, boolean mustChangePassword) {
        this(name, roles, mustChangePassword, null);
    }
}
