package dev.ota.rollout;

import java.time.Instant;

/**
 * The server's side of criticality (fleet.md, "Criticality"): what a waiting device's last reported state means
 * for its action and for the wave, and when a person must hear of it. The device decides for itself with its veto
 * provider; this keeps the server's counts and alerts truthful.
 */
public final class Criticality {
    /** What the server counts a device as, from its last reported state. */
    public enum Verdict {
        /** idle: may install (inside a window). */
        PROCEED,
        /** critical, or a state the server cannot read: held, never forced, never a failure. */
        HELD_CRITICAL,
        /** busy, before force-after (or with respect-busy): waiting. */
        WAITING_BUSY,
        /** busy past force-after: the device installs regardless (its director policy says so too). */
        FORCED
    }

    private Criticality() {
    }

    /**
     * @param reportedState the device's last reported state: idle, busy or critical; anything else (missing, a
     *                      failing or hanging provider) counts as critical, failing safe as the device does
     * @param assignedAt    when the action was assigned; force-after counts from here, as the director policy
     *                      ({@link InstallRule#directorPolicy}) does
     */
    public static Verdict verdict(InstallRule rule, String reportedState, Instant assignedAt, Instant now) {
        if ("idle".equals(reportedState)) {
            return Verdict.PROCEED;
        }
        if (!"busy".equals(reportedState)) {
            return Verdict.HELD_CRITICAL;
        }
        return rule.forceAfter().isPresent() && !now.isBefore(assignedAt.plus(rule.forceAfter().get()))
                ? Verdict.FORCED : Verdict.WAITING_BUSY;
    }

    /** fleet.md: "The server also keeps devices that report critical out of a wave's start." */
    public static boolean keptOutOfStart(String reportedState) {
        return verdict(InstallRule.DEFAULT, reportedState, Instant.EPOCH, Instant.EPOCH) == Verdict.HELD_CRITICAL;
    }

    /**
     * Whether to alert the operator now about a device waiting (window, busy or critical) since
     * {@code waitingSince}: once the maximum deferral has passed, and once per waiting spell ({@code alertedAt}
     * before {@code waitingSince} or null). Never a reason to force it.
     */
    public static boolean alertDue(InstallRule rule, Instant waitingSince, Instant alertedAt, Instant now) {
        return waitingSince != null && !now.isBefore(waitingSince.plus(rule.maxDeferral()))
                && (alertedAt == null || alertedAt.isBefore(waitingSince));
    }
}
