package dev.ota.expiry;

import dev.ota.publishing.RoleExpiry;
import dev.ota.repository.Settings;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The facts of the last expiry check on this server (the refresh timer records them after each check), judged
 * on demand by {@link ExpiryReport#assess}. The readiness check reads this, never the database or the
 * publisher's lock, so a probe answers at once even during a long publish. Thread-safe: one volatile record.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ExpiryWatch {
    private record Facts(List<RoleExpiry> roles, Instant checkedAt, Instant lastFailure) {
    }

    private final Duration grace = Settings.refreshCheckInterval().multipliedBy(2);
    private volatile Facts facts = new Facts(List.of(), null, null);

    /** After a successful check: the roles as they are now served. Public: called through the EJB view. */
    public void checked(List<RoleExpiry> roles, Instant at) {
        facts = new Facts(List.copyOf(roles), at, null);
    }

    /** After a failed check: the previous facts stay, marked stale. */
    public void failed(Instant at) {
        Facts f = facts;
        facts = new Facts(f.roles(), f.checkedAt(), at);
    }

    /** The last check's facts judged at {@code now}. */
    public ExpiryReport report(Instant now) {
        Facts f = facts;
        return ExpiryReport.assess(f.roles(), f.checkedAt(), f.lastFailure(), now, grace);
    }
}
