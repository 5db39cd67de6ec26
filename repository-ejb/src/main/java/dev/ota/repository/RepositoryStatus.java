package dev.ota.repository;

import java.time.Instant;
import java.util.List;

/**
 * The repository as a status page shows it: each top-level role and the hash bins of the online
 * release role (summarised: highest version, soonest expiry), with the key ids that sign them.
 */
public record RepositoryStatus(List<RoleStatus> roles, int binCount, int listedTargets) {
    public RepositoryStatus {
        roles = List.copyOf(roles);
    }

    /** One role: its current version, when it expires, and which keys (and how many) must sign it. */
    public record RoleStatus(String role, long version, Instant expires, List<String> keyIds, int threshold) {
        public RoleStatus {
            keyIds = List.copyOf(keyIds);
        }
    }
}
