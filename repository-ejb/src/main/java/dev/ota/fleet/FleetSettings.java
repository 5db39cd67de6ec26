package dev.ota.fleet;

import java.time.Duration;

/**
 * Fleet settings from the environment (Liberty's server.env sets environment variables too), each with a safe
 * default; a malformed value is refused with a message naming it.
 */
public final class FleetSettings {
    private FleetSettings() {
    }

    /** Seconds between check-ins the server asks for (OTA_POLL_SECONDS), 300 unless configured. */
    public static long pollSeconds() {
        return longValue("OTA_POLL_SECONDS", 300, 1, 86_400);
    }

    /** How long a check-in's bearer token opens the device's GETs: about an hour. */
    public static Duration deviceTokenLifetime() {
        return Duration.ofSeconds(longValue("OTA_DEVICE_TOKEN_SECONDS", 3600, 60, 86_400));
    }

    /** Check-ins handled at once per server (OTA_CHECKIN_CONCURRENCY); more wait briefly, then get 503. */
    public static int checkinConcurrency() {
        return (int) longValue("OTA_CHECKIN_CONCURRENCY", 64, 1, 10_000);
    }

    /**
     * Milliseconds a check-in waits for a place at the gate before it is turned away (OTA_CHECKIN_GATE_WAIT_MILLIS),
     * 200 unless configured: long enough to ride out a moment's burst, short enough that a waiting check-in holds no
     * request thread for long.
     */
    public static long checkinGateWaitMillis() {
        return longValue("OTA_CHECKIN_GATE_WAIT_MILLIS", 200, 0, 10_000);
    }

    /** Seconds a device refused for overload is told to wait (Retry-After). */
    public static long overloadRetryAfterSeconds() {
        return longValue("OTA_CHECKIN_RETRY_AFTER_SECONDS", 30, 1, 3600);
    }

    public static long longValue(String name, long defaultValue, long min, long max) {
        String raw = System.getenv(name);
        if (raw == null || raw.isBlank()) {
            raw = System.getProperty(name);
        }
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
            throw new IllegalStateException(name + " must be a whole number, got " + raw, e);
        }
    }
}
