package dev.ota.agent.fleet;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a device comes back, as pure functions of the server's answer and a random source. Jitter keeps a fleet
 * that started together (a power cut, a server restart) from arriving together forever after.
 *
 * @param pollJitter       a regular check-in comes within this fraction either side of {@code pollAfterSeconds}
 * @param retryAfterSpread at most this fraction of {@code Retry-After} (at least {@code minSpread}) is added to it
 * @param minSpread        the least spread added to a {@code Retry-After}
 * @param backoffBase      the first wait after a failure
 * @param backoffCap       waits after failures double up to this
 */
public record Pacing(double pollJitter, double retryAfterSpread, Duration minSpread, Duration backoffBase, Duration backoffCap) {
    /**
     * Regular check-ins exactly at {@code pollAfterSeconds} (device-api.md: "sent every pollAfterSeconds"): the server
     * already spreads that figure per answer, and jitter added on top would bring devices before the time asked.
     */
    public static final Pacing DEFAULT = new Pacing(0, 0.2, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(10));

    public Pacing {
        if (pollJitter < 0 || pollJitter >= 1) throw new IllegalArgumentException("pollJitter is a fraction below 1");
        if (retryAfterSpread < 0) throw new IllegalArgumentException("retryAfterSpread must not be negative");
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap");
        }
    }

    /** The next regular check-in: {@code pollAfterSeconds} give or take {@link #pollJitter}. */
    public Duration afterCheckin(long pollAfterSeconds, RandomGenerator random) {
        long ms = Math.multiplyExact(pollAfterSeconds, 1000L);
        long spread = (long) (ms * pollJitter);
        return Duration.ofMillis(ms - spread + (spread == 0 ? 0 : random.nextLong(2 * spread + 1)));
    }

    /** After 429/503: never before {@code retryAfter}, spread over a little more so the throttled don't return at once. */
    public Duration afterThrottle(Duration retryAfter, RandomGenerator random) {
        long ms = retryAfter.toMillis();
        long spread = Math.max(minSpread.toMillis(), (long) (ms * retryAfterSpread));
        return Duration.ofMillis(ms + random.nextLong(spread + 1));
    }

    /**
     * After the {@code failures}-th failure in a row (1 for the first): capped exponential, with the wait drawn
     * from the upper half of the step so it never collapses to zero.
     */
    public Duration afterFailure(int failures, RandomGenerator random) {
        long step = backoffStep(failures).toMillis();
        return Duration.ofMillis(step / 2 + random.nextLong(step - step / 2 + 1));
    }

    /** The upper bound of the wait after {@code failures} failures in a row. */
    public Duration backoffStep(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 40));
        long base = backoffBase.toMillis();
        long cap = backoffCap.toMillis();
        return Duration.ofMillis(doublings >= 62 || base > (cap >> doublings) ? cap : Math.min(cap, base << doublings));
    }
}
