package dev.ota.expiry;

import dev.ota.publishing.RoleExpiry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the expiry watch says about the served metadata at one instant: a pure function of the roles' expiries,
 * margins and key custody, so the status API, the readiness check and the log all say the same thing.
 * <p>
 * Per role: {@code VALID} (not yet due, nor inside its warning time), {@code DUE} (inside its margin and this
 * server re-signs it at its next check), {@code EXPIRING} (inside its warning time, {@link RoleExpiry#warnAhead},
 * while this server may still renew it), {@code NEEDS_OFFLINE_SIGNING} (inside its margin or its warning time, and
 * this server does not hold its keys: its officers must sign, and the condition names them and the deadline),
 * {@code NOT_RENEWED} (inside its margin for longer than {@code grace} although this server holds its keys: the
 * refresh is failing), {@code EXPIRED} (clients refuse it now). Every condition but the first two is a warning.
 * <p>
 * {@code warning} is fit for the public readiness answer (role names and times only); {@code signers} and
 * {@code signBy} say who must sign by when, for the signed-in status page, the status API and the log.
 *
 * @param checkedAt when the facts were read (null: no check has succeeded yet on this server)
 * @param lastFailure when the last check failed, if it failed after the last success (else null)
 */
public record ExpiryReport(Instant checkedAt, Instant lastFailure, List<Condition> roles, List<String> warnings) {
    public ExpiryReport {
        roles = List.copyOf(roles);
        warnings = List.copyOf(warnings);
    }

    /**
     * One role's condition; {@code warning} is null unless it needs attention. {@code signBy} (else null) is when
     * people must have signed a new version: the role's expiry, for a role this server cannot re-sign that is
     * inside its warning time; {@code signers} then says who ({@code threshold} of them).
     */
    public record Condition(RoleExpiry role, String condition, String warning, Instant signBy) {
        /** Who must sign by {@link #signBy}, as a sentence for people (never for the public readiness answer). */
        public String whoMustSign() {
            if (signBy == null) {
                return null;
            }
            return role.threshold() + " of " + String.join(", ", role.signers()) + " must sign a new " + role.role()
                    + " by " + signBy;
        }
    }

    /**
     * Judges {@code roles} at {@code now}.
     *
     * @param grace how long a role may stay due before a server holding its keys counts as failing to renew it
     *              (two refresh checks: one may be missed)
     */
    public static ExpiryReport assess(List<RoleExpiry> roles, Instant checkedAt, Instant lastFailure, Instant now,
                                      Duration grace) {
        List<Condition> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (checkedAt == null) {
            warnings.add("no expiry check has succeeded on this server yet"
                    + (lastFailure == null ? "" : "; the last one failed at " + lastFailure + " (see the server log)"));
        } else if (lastFailure != null) {
            warnings.add("the last expiry check failed at " + lastFailure + " (see the server log); the facts below are from "
                    + checkedAt);
        }
        for (RoleExpiry r : roles) {
            Instant dueAt = r.expires().minus(r.margin());
            Instant warnAt = r.expires().minus(r.warnAhead());
            boolean due = !now.isBefore(dueAt);
            boolean warned = !now.isBefore(warnAt);
            String condition;
            String warning = null;
            Instant signBy = null;
            if (!r.expires().isAfter(now)) {
                condition = "EXPIRED";
                warning = r.role() + " expired at " + r.expires() + ": clients refuse the repository until "
                        + (r.serverCanResign() ? "it is re-signed" : "its officers sign a new version");
                signBy = r.serverCanResign() ? null : r.expires();
            } else if (!due && !warned) {
                condition = "VALID";
            } else if (!r.serverCanResign()) {
                condition = "NEEDS_OFFLINE_SIGNING";
                warning = r.role() + " expires at " + r.expires() + " and this server does not hold its keys: "
                        + "its officers must sign a new version before then";
                signBy = r.expires();
            } else if (due && !now.isBefore(dueAt.plus(grace))) {
                condition = "NOT_RENEWED";
                warning = r.role() + " expires at " + r.expires() + " and was due for re-signing since " + dueAt
                        + ", but has not been re-signed (see the server log)";
            } else if (due) {
                // This server re-signs it at its next check: nothing for a person to do yet.
                condition = "DUE";
            } else {
                condition = "EXPIRING";
                warning = r.role() + " expires at " + r.expires() + ", within its warning time of " + r.warnAhead()
                        + "; this server re-signs it from " + dueAt;
            }
            if (warning != null) {
                warnings.add(warning);
            }
            out.add(new Condition(r, condition, warning, signBy));
        }
        return new ExpiryReport(checkedAt, lastFailure, out, warnings);
    }

    /** Whether something served has expired: devices cannot update from this repository now. */
    public boolean expired() {
        return roles.stream().anyMatch(c -> c.condition().equals("EXPIRED"));
    }

    /**
     * Readiness: this server serves metadata clients accept. False once anything served has expired, or before
     * the first expiry check succeeded. Warnings alone keep it ready: taking servers out of a load balancer
     * while the metadata is still valid would cause the outage the warning is about.
     */
    public boolean ready() {
        return checkedAt != null && !expired();
    }

    /** Who must sign what by when, one sentence per role that needs its officers; empty if none does. */
    public List<String> signingNeeded() {
        return roles.stream().map(Condition::whoMustSign).filter(java.util.Objects::nonNull).toList();
    }
}
