package dev.ota.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Whether a failed attempt is retried, and when (fleet.md, "Retries"); whether an open attempt has timed out,
 * counting open-window time only (fleet.md, "Maintenance windows").
 */
public final class Retries {
    /** fleet.md: "classes download: and timeout: retry"; every other class is final (install:, verify:, attack:, ...). */
    static final List<String> RETRYABLE = List.of("download:", "timeout:");

    private Retries() {
    }

    /** The failure class of a reported failure such as {@code download: connection reset}: up to and with the colon. */
    public static String failureClass(String failure) {
        int colon = failure.indexOf(':');
        return colon < 0 ? failure : failure.substring(0, colon + 1);
    }

    public static boolean retryable(String failure) {
        return RETRYABLE.contains(failureClass(failure));
    }

    /**
     * When attempt {@code attempt + 1} is assigned after attempt {@code attempt} failed at {@code failedAt} with
     * {@code failure}; empty when the failure is final (not retryable, or the attempts are used up): the action is
     * then FAILED(class).
     * <p>
     * The wait is {@code backoff * 2^(attempt-1)}, capped at {@code maxBackoff}, then jittered to a uniform point
     * in its upper half: devices that failed together (a CDN outage) come back spread out, yet each waits at least
     * half the nominal time, so the backoff still grows and never falls below the first step.
     */
    public static Optional<Instant> nextAttemptAt(RetryPolicy policy, String failure, int attempt, Instant failedAt,
                                                  RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, was " + attempt);
        }
        if (!retryable(failure) || attempt >= policy.maxAttempts()) {
            return Optional.empty();
        }
        long nominal = nominalBackoff(policy, attempt).toSeconds();
        long half = nominal / 2;
        long jittered = nominal - half + random.nextLong(half + 1);
        return Optional.of(failedAt.plusSeconds(jittered));
    }

    /** The un-jittered wait after failed attempt {@code attempt}: 10 min, 20 min, 40 min, ... capped (6 h). */
    public static Duration nominalBackoff(RetryPolicy policy, int attempt) {
        Duration d = policy.backoff();
        for (int i = 1; i < attempt && d.compareTo(policy.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(policy.maxBackoff()) > 0 ? policy.maxBackoff() : d;
    }

    /**
     * Whether an attempt assigned at {@code assignedAt} has, at {@code now}, used up the policy's timeout in
     * open-window time, not counting {@code held} spans (critical or busy: waiting is not slowness). It then
     * fails with {@code timeout:}, which is retryable.
     */
    public static boolean timedOut(RetryPolicy policy, List<WindowRule> windows, java.time.ZoneId deviceZone,
                                   Instant assignedAt, Instant now, List<Span> held) {
        return MaintenanceWindows.openTime(windows, deviceZone, assignedAt, now, held).compareTo(policy.timeout()) >= 0;
    }
}
