package dev.ota.rollout;

import java.time.Duration;

/**
 * Retries of retryable failures and the action timeout (fleet.md, "Retries": classes {@code download:} and
 * {@code timeout:} retry with exponential backoff and jitter, 10 min, doubling, capped at 6 h, default 3 attempts).
 *
 * @param maxAttempts attempts in all, the first included (each a new signed {@code attempt} number)
 * @param backoff     the wait after the first failed attempt, doubled after each further one
 * @param maxBackoff  the cap of that wait
 * @param timeout     open-window time an attempt may take from assignment to a final report before it fails with
 *                    {@code timeout:}; fleet.md fixes no default, a day of open time is ours (a weekly two-hour
 *                    window then allows twelve weeks, a device that is always open one day)
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff, Duration timeout) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMinutes(10), Duration.ofHours(6),
            Duration.ofDays(1));

    public RetryPolicy {
        InvalidRollout.check(maxAttempts >= 1 && maxAttempts <= 10, "retry.maxAttempts", "1 to 10");
        InvalidRollout.check(backoff != null && minutes(backoff) >= 1 && minutes(backoff) <= 1440,
                "retry.backoffMinutes", "1 to 1440 whole minutes");
        InvalidRollout.check(maxBackoff != null && minutes(maxBackoff) >= minutes(backoff)
                && minutes(maxBackoff) <= 10080, "retry.maxBackoffMinutes", "whole minutes from backoffMinutes to 10080");
        InvalidRollout.check(timeout != null && minutes(timeout) >= 1 && minutes(timeout) <= 43200,
                "retry.timeoutMinutes", "1 to 43200 whole minutes");
    }

    /** Whole minutes, or -1 for a duration that is not a whole number of minutes (the JSON knows only minutes). */
    static long minutes(Duration d) {
        return d.toSeconds() % 60 == 0 && d.getNano() == 0 ? d.toMinutes() : -1;
    }
}
