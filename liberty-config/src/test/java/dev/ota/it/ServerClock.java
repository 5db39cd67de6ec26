package dev.ota.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;

/**
 * The IT server's virtual time: its clock runs ahead of real time by the duration in the file that
 * OTA_TEST_CLOCK_FILE names (the data directory's {@code clock-shift} in the executions that set it), so a
 * test crosses a throttle window, a soak or an expiry by moving the time instead of waiting for it.
 * Within a server's run the shift only grows (other tests' tokens and signed times stay valid); an
 * execution whose server restarts starts again at real time.
 */
final class ServerClock {
    private final Path file;

    /** The clock of the execution's server (its data directory's {@code clock-shift}). */
    ServerClock() {
        this(Path.of(System.getProperty("ota.data.dir"), "clock-shift"));
    }

    /** The clock of a server of a test's own, whose OTA_TEST_CLOCK_FILE names {@code file}. */
    ServerClock(Path file) {
        this.file = file;
    }

    /** How far the server's clock runs ahead of real time now. */
    Duration shift() {
        try {
            return Files.isRegularFile(file) ? Duration.parse(Files.readString(file).strip()) : Duration.ZERO;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Moves the server's time forward by {@code d}; the next reading of its clock sees it. The new shift is written
     * beside the file and renamed over it: written in place, the file is empty between its truncation and the
     * write, and a server (or agent) reading it then saw no shift, its time falling back to real time for a moment.
     */
    void advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("the server's time only moves forward: " + d);
        try {
            Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"),
                    shift().plus(d).toString());
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clock that reads what the server's clock reads now (a later {@link #advance} does not move it). */
    Clock clock() {
        return Clock.offset(Clock.systemUTC(), shift());
    }

    /**
     * A clock that reads the shift at every reading, so a device's time moves when the test moves the server's
     * (the agents of the rollout ITs run on it).
     */
    Clock following() {
        return new Following(this);
    }

    private static final class Following extends Clock {
        private final ServerClock server;

        Following(ServerClock server) {
            this.server = server;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(server.shift());
        }
    }
}
