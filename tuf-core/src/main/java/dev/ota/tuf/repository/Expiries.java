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

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("expiry of " + name + " must be a positive duration, got " + d);
        }
    }
}
