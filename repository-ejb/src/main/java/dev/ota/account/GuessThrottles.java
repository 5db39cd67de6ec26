package dev.ota.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** One {@link GuessThrottle} per server process, on the server's clock, for every {@link Accounts} instance. */
@ApplicationScoped
class GuessThrottles {
    @Produces
    @Singleton
    GuessThrottle throttle(Clock clock) {
        return new GuessThrottle(clock);
    }
}
