package dev.ota.agent.fleet;

import java.time.Duration;

/** Waits for a duration; tests pass one that advances a virtual clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** Really waits, on the calling thread. */
    static Sleeper system() {
        return d -> {
            if (!d.isNegative() && !d.isZero()) Thread.sleep(d.toMillis());
        };
    }
}
