package dev.ota.deviceapi;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A bounded number of requests inside at once; the next ones wait up to {@code maxWaitMillis} for a place and
 * are otherwise turned away (503 with Retry-After), so an overload costs refusals, never memory or a crash.
 */
final class ConcurrencyGate {
    private final Semaphore places;
    private final long maxWaitMillis;

    ConcurrencyGate(int places, long maxWaitMillis) {
        this.places = new Semaphore(places);
        this.maxWaitMillis = maxWaitMillis;
    }

    /** True when the caller got a place, which it must give back with {@link #leave}. */
    boolean tryEnter() {
        try {
            return places.tryAcquire(maxWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void leave() {
        places.release();
    }
}
