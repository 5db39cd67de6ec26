package dev.ota.expiry;

import java.time.Instant;
import java.util.List;

/**
 * The repository as a status page shows it: each top-level role and the hash bins of the online
 * release role (summarised: highest version, soonest expiry), with the key ids that sign them,
 * and what the expiry watch says ({@link ExpiryReport}): {@code warnings} is empty unless a role
 * needs attention (its officers must sign, re-signing is failing, or it expired).
 */
public record RepositoryStatus(List<RoleStatus> roles, int binCount, int listedTargets, List<String> warnings) {
    public RepositoryStatus {
        roles = List.copyOf(roles);
        warnings = List.copyOf(warnings);
    }

    /**
     * One role: its current version, when it expires, which keys (and how many) must sign it,
     * whether this server holds them to re-sign it before expiry, its condition
     * ({@code VALID, DUE, EXPIRING, NEEDS_OFFLINE_SIGNING, NOT_RENEWED, EXPIRED}) and a warning, if any; for a
     * role its officers must sign, by when ({@code signBy}) and who ({@code signers}, the holders of its keys;
     * {@code threshold} of them), else both absent.
     */
    public record RoleStatus(String role, long version, Instant expires, List<String> keyIds, int threshold,
                             boolean serverCanResign, String condition, String warning, Instant signBy,
                             List<String> signers) {
        public RoleStatus {
            keyIds = List.copyOf(keyIds);
            signers = signers == null ? null : List.copyOf(signers);
        }
    }
}
