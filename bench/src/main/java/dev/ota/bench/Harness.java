package dev.ota.bench;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A hand-written measuring loop: warm-up first (so the JIT has compiled the hot path), then several timed
 * rounds, reported by their median so one slow round (a GC, another process on the machine) does not move
 * the figure. The Node scripts in {@code bench/node} follow the same scheme.
 */
final class Harness {
    private Harness() {
    }

    /**
     * Throughput: calls {@code batch} (which returns how many operations it did) until {@code warmupMillis} have
     * passed, then for {@code rounds} rounds of {@code roundMillis} each.
     *
     * @return operations per second of each round
     */
    static double[] throughput(LongSupplier batch, long warmupMillis, long roundMillis, int rounds) {
        runFor(batch, warmupMillis);
        double[] perSecond = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            long ops = runFor(batch, roundMillis);
            perSecond[r] = ops / ((System.nanoTime() - start) / 1e9);
        }
        return perSecond;
    }

    private static long runFor(LongSupplier batch, long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        long ops = 0;
        do {
            ops += batch.getAsLong();
        } while (System.nanoTime() < end);
        return ops;
    }

    /**
     * Latency: {@code warmups} runs, then {@code iterations} more whose times are kept. Each run measures its own
     * timed section and returns it in milliseconds, so set-up and clean-up around it stay untimed.
     */
    static double[] times(DoubleSupplier timedRunMillis, int warmups, int iterations) {
        for (int i = 0; i < warmups; i++) timedRunMillis.getAsDouble();
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) ms[i] = timedRunMillis.getAsDouble();
        return ms;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
