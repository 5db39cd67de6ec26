package dev.ota.account;

import java.time.Instant;
import java.util.List;

/**
 * An account as administrators see it in the portal: never its password hash. The time of the last
 * sign-in is not known (no column records it), so it is not shown rather than guessed.
 */
public record AccountView(String username, List<String> roles, boolean enabled, boolean mustChangePassword,
                          Instant createdAt) {
    public AccountView {
        roles = List.copyOf(roles);
    }
}
