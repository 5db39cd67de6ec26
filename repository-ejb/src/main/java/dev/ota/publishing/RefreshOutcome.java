package dev.ota.publishing;

import java.time.Instant;
import java.util.List;

/**
 * One expiry check: the roles it re-signed (empty when nothing it could sign was due), and every served
 * role as it stands after the check, for the {@link dev.ota.expiry.ExpiryWatch ExpiryWatch}.
 */
public record RefreshOutcome(List<String> resigned, List<RoleExpiry> roles, Instant checkedAt) {
    public RefreshOutcome {
        resigned = List.copyOf(resigned);
        roles = List.copyOf(roles);
    }
}
