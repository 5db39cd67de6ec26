package dev.ota.agent.sim;

import java.time.Duration;

/**
 * Arrivals at a fixed rate for a duration (an open loop): the k-th arrival (from 0) is due {@code k / perSecond}
 * seconds after the start, whatever became of the earlier ones. Each due time is computed from k, not by adding
 * intervals, so rounding never accumulates over a long run.
 */
public record ArrivalSchedule(double perSecond, Duration duration) {
    public ArrivalSchedule {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) throw new IllegalArgumentException("the rate must be a positive number");
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("the duration must be positive");
    }

    /** Nanoseconds from the start at which arrival {@code k} is due. */
    public long offsetNanos(long k) {
        if (k < 0) throw new IllegalArgumentException("k must not be negative");
        return Math.round(k * 1e9 / perSecond);
    }

    /** How many arrivals are due within the duration: those whose due time is before its end. */
    public int arrivals() {
        long end = duration.toNanos();
        long n = (long) Math.ceil(end / 1e9 * perSecond);
        while (n > 0 && offsetNanos(n - 1) >= end) n--;
        while (offsetNanos(n) < end) n++;
        return Math.toIntExact(n);
    }
}
