package dev.ota.account;

import java.util.Set;

/** An authenticated caller: the name the audit log records and the roles the container checks. */
public record Caller(String name, Set<String> roles, boolean mustChangePassword) {
    public Caller {
        roles = Set.copyOf(roles);
    }
}
