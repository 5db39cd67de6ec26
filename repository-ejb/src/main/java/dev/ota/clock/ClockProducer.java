package dev.ota.clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * Produces the server's {@link Clock}: the system clock in UTC. Every bean that needs the time injects
 * it ({@code @Inject Clock clock}) instead of calling {@code Instant.now()}, so the decisions it makes
 * are functions of the time it is given.
 */
@ApplicationScoped
public class ClockProducer {
    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
