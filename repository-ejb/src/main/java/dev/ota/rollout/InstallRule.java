package dev.ota.rollout;

import dev.ota.protocol.DirectorTarget.InstallPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How devices of a rollout treat their veto (fleet.md, "Criticality"): critical is never overridden; busy is
 * overridden only after {@code forceAfter} (none: never, device-api.md's {@code respect-busy}); past
 * {@code maxDeferral} (default 7 days) a person is alerted, never the device forced.
 *
 * @param forceAfter  how long after its assignment a device that reports busy is installed anyway; empty: never
 * @param maxDeferral how long a device may wait (window, busy, critical) before the operator is alerted
 */
public record InstallRule(Optional<Duration> forceAfter, Duration maxDeferral) {
    public static final InstallRule DEFAULT = new InstallRule(Optional.empty(), Duration.ofDays(7));

    public InstallRule {
        Objects.requireNonNull(forceAfter, "forceAfter");
        InvalidRollout.check(forceAfter.isEmpty() || (RetryPolicy.minutes(forceAfter.get()) >= 1
                && RetryPolicy.minutes(forceAfter.get()) <= 43200), "installPolicy.forceAfterMinutes",
                "1 to 43200 whole minutes");
        InvalidRollout.check(maxDeferral != null && maxDeferral.toSeconds() % 86400 == 0 && maxDeferral.getNano() == 0
                && maxDeferral.toDays() >= 1 && maxDeferral.toDays() <= 365, "maxDeferralDays", "1 to 365 whole days");
    }

    /**
     * The {@code installPolicy} of the director target for an action assigned at {@code assignedAt}: the device
     * reads an instant, not a duration, so the same order means the same thing on every re-signing.
     */
    public InstallPolicy directorPolicy(Instant assignedAt) {
        return new InstallPolicy(forceAfter.map(assignedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)::plus));
    }
}
