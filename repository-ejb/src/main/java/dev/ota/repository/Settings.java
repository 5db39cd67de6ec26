package dev.ota.repository;

import dev.ota.tuf.repository.Expiries;
import java.time.Duration;

/**
 * Repository settings from the environment (Liberty's server.env sets environment variables too).
 * Each has a safe default, and a malformed value stops start-up with a message naming it.
 */
public final class Settings {
    private Settings() {
    }

    /** How often a server re-reads the head's generation to notice another server's publish. */
    public static Duration headCheckInterval() {
        return Duration.ofMillis(longValue("OTA_HEAD_CHECK_MILLIS", 1000, 0, 60_000));
    }

    /** Number of succinct hash bins for the {@code releases} role: a power of two, 2..65536. */
    public static int binCount() {
        long n = longValue("OTA_HASH_BINS", 256, 2, 65536);
        if (Long.bitCount(n) != 1) {
            throw new IllegalStateException("OTA_HASH_BINS must be a power of two, got " + n);
        }
        return (int) n;
    }

    /**
     * How long each role stays valid after signing (ISO-8601 durations such as {@code P7D} or
     * {@code PT10M}): OTA_EXPIRY_ROOT, _TARGETS, _RELEASES (the hash bins), _SNAPSHOT, _TIMESTAMP.
     */
    public static Expiries expiries() {
        Expiries d = Expiries.defaults();
        return new Expiries(duration("OTA_EXPIRY_ROOT", d.root()), duration("OTA_EXPIRY_TARGETS", d.targets()),
                duration("OTA_EXPIRY_RELEASES", d.delegated()), duration("OTA_EXPIRY_SNAPSHOT", d.snapshot()),
                duration("OTA_EXPIRY_TIMESTAMP", d.timestamp()));
    }

    /**
     * How long ahead of a role's expiry the status page, the readiness check and the log warn of it
     * (OTA_EXPIRY_WARN_ROOT, _TARGETS, _RELEASES, _SNAPSHOT, _TIMESTAMP; ISO-8601 durations). Defaults: root and
     * top-level targets 30 days (never more than half their validity; their re-signing margin), which leaves
     * officers weeks to meet; the
     * online roles a quarter of the timestamp's validity (this server re-signs them at half of it, so reaching a
     * quarter means its re-signing failed for a while).
     *
     * @param role a top-level role, or {@code releases} for the hash bins
     */
    public static Duration warnAhead(String role, Expiries expiries) {
        return switch (role) {
            case "root" -> duration("OTA_EXPIRY_WARN_ROOT", min(Duration.ofDays(30), expiries.root().dividedBy(2)));
            case "targets" -> duration("OTA_EXPIRY_WARN_TARGETS", min(Duration.ofDays(30), expiries.targets().dividedBy(2)));
            case "snapshot" -> duration("OTA_EXPIRY_WARN_SNAPSHOT", expiries.timestamp().dividedBy(4));
            case "timestamp" -> duration("OTA_EXPIRY_WARN_TIMESTAMP", expiries.timestamp().dividedBy(4));
            default -> duration("OTA_EXPIRY_WARN_RELEASES", expiries.timestamp().dividedBy(4));
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Duration duration(String name, Duration defaultValue) {
        String raw = System.getenv(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            Duration d = Duration.parse(raw.strip());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalStateException(name + " must be a positive duration, got " + raw);
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException(name + " is not an ISO-8601 duration such as P7D or PT10M: " + raw, e);
        }
    }

    /** Largest accepted upload (OTA_MAX_UPLOAD_BYTES), 1 GiB unless configured. */
    public static long maxUploadBytes() {
        return longValue("OTA_MAX_UPLOAD_BYTES", 1L << 30, 1, Long.MAX_VALUE);
    }

    /** Most files one bulk import may hold (OTA_MAX_IMPORT_ENTRIES), 200,000 unless configured. */
    public static int maxImportEntries() {
        return (int) longValue("OTA_MAX_IMPORT_ENTRIES", 200_000, 1, 10_000_000);
    }

    /** How often the refresh timer looks for metadata about to expire (OTA_REFRESH_CHECK_SECONDS). */
    public static Duration refreshCheckInterval() {
        return Duration.ofSeconds(longValue("OTA_REFRESH_CHECK_SECONDS", 60, 1, 86_400));
    }

    /**
     * How often rollouts are decided (OTA_ROLLOUT_TICK_SECONDS, 5 unless configured): soaks are minutes to
     * hours, so a decision a few seconds late changes nothing; ITs decide every second.
     */
    public static Duration rolloutTickInterval() {
        return Duration.ofSeconds(longValue("OTA_ROLLOUT_TICK_SECONDS", 5, 1, 3_600));
    }

    /**
     * How many devices of a rollout's started waves are ordered per transaction (OTA_ROLLOUT_ORDER_BATCH, 50 unless
     * configured). Each order flushes the transaction's persistence context, whose size grows with the batch, so
     * a wave signed in one transaction cost O(n^2) and a wave of 6,000 devices never finished inside the
     * transaction timeout; small batches keep each order's cost flat. ITs set it low to cross batch boundaries.
     */
    public static int rolloutOrderBatch() {
        return (int) longValue("OTA_ROLLOUT_ORDER_BATCH", 50, 1, 5_000);
    }

    /**
     * How long a server's claim on a scheduled job stands (OTA_JOB_LEASE_SECONDS, 300 unless configured):
     * when a server dies while running a job, another one takes the job over after this long. Longer than
     * any run takes, shorter than the margin a role is re-signed within.
     */
    public static Duration jobLease() {
        return Duration.ofSeconds(longValue("OTA_JOB_LEASE_SECONDS", 300, 1, 86_400));
    }

    static long longValue(String name, long defaultValue, long min, long max) {
        String raw = System.getenv(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            long v = Long.parseLong(raw.strip());
            if (v < min || v > max) {
                throw new IllegalStateException(name + " must be between " + min + " and " + max + ", got " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " is not a whole number: " + raw, e);
        }
    }
}
