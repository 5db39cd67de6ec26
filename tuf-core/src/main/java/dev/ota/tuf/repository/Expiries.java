package dev.ota.tuf.repository;

import java.time.Duration;
import java.time.Instant;

/**
 * How long each kind of role stays valid after it is signed. Short for online roles (a stolen timestamp key
 * buys an attacker a freeze of at most {@code timestamp}), long for offline ones (each signature is a ceremony).
 */
public record Expiries(Duration root, Duration targets, Duration delegated, Duration snapshot, Duration timestamp) {
    public Expiries {
        positive("root", root);
        positive("targets", targets);
        positive("delegated", delegated);
        positive("snapshot", snapshot);
        positive("timestamp", timestamp);
    }

    /** One year for root and top-level targets, 90 days for delegated roles, a week for snapshot, a day for timestamp. */
    public static Expiries defaults() {
        return new Expiries(Duration.ofDays(365), Duration.ofDays(365), Duration.ofDays(90), Duration.ofDays(7),
                Duration.ofDays(1));
    }

    /** Expiry of a role signed at {@code now}; any name other than the four top-level ones is a delegated role. */
    public Instant expiresFor(String role, Instant now) {
        Duration d = switch (role) {
            case "root" -> root;
            case "targets" -> targets;
            case "snapshot" -> snapshot;
            case "timestamp" -> timestamp;
            default -> delegated;
        };
        return now.plus(d);
    }

    /**
     * How long before its expiry a role is due: re-signed by a server that holds its keys, reported as needing
     * its officers by one that does not. Root and top-level targets: the earlier of 30 days or half their
     * validity. Thirty days is the time officers need to convene for an offline signature, and for an embedded
     * server it costs one extra version a year while giving an operator a month to notice a failed re-sign
     * (and covering devices whose clocks run ahead, or that sit behind a caching mirror); half the validity
     * keeps short test validities from being due again right after signing. Every other role: half the
     * timestamp's validity (capped at half its own), so a client never meets it expired even if a check is missed.
     */
    public Duration refreshMargin(String role) {
        return switch (role) {
            case "root" -> min(Duration.ofDays(30), root.dividedBy(2));
            case "targets" -> min(Duration.ofDays(30), targets.dividedBy(2));
            case "snapshot" -> min(timestamp.dividedBy(2), snapshot.dividedBy(2));
            case "timestamp" -> timestamp.dividedBy(2);
            default -> min(timestamp.dividedBy(2), delegated.dividedBy(2));
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("expiry of " + name + " must be a positive duration, got " + d);
        }
    }
}
