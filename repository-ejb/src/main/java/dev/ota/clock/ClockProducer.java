package dev.ota.clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;
import java.util.logging.Logger;

/**
 * Produces the server's {@link Clock}: the system clock in UTC. Every bean that needs the time injects
 * it ({@code @Inject Clock clock}) instead of calling {@code Instant.now()}, so the decisions it makes
 * are functions of the time it is given.
 * <p>
 * {@code OTA_TEST_CLOCK_FILE} (integration tests only, never in production) names a file whose duration
 * puts the server's clock ahead ({@link ShiftedClock}), so tests of expiry, soak and windows run in
 * virtual time against the real server. The server says so in its log when it starts.
 */
@ApplicationScoped
public class ClockProducer {
    static final String TEST_CLOCK_FILE = "OTA_TEST_CLOCK_FILE";
    private static final Logger LOG = Logger.getLogger(ClockProducer.class.getName());

    @Produces
    @ApplicationScoped
    Clock clock() {
        return of(System.getenv(TEST_CLOCK_FILE));
    }

    static Clock of(String testClockFile) {
        if (testClockFile == null || testClockFile.isBlank()) return Clock.systemUTC();
        LOG.warning(TEST_CLOCK_FILE + " is set: the server's time follows the shift in " + testClockFile
                + " (a test setting, never for production)");
        return new ShiftedClock(Clock.systemUTC(), Path.of(testClockFile.strip()));
    }
}
