package dev.ota.clock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A clock ahead of its base by the ISO-8601 duration a file holds ({@code P30D}, {@code PT90S}; missing or
 * empty: no shift). The integration tests use it to move a running server through days of soak, backoff,
 * windows and expiry without waiting: they write the file and the next reading of the time follows it. Only
 * forward shifts are accepted, so a test can never make the server sign something as older than it already did.
 * <p>
 * The file is read again only when its modification time or size changes, so the cost per reading is one
 * {@code stat}.
 */
final class ShiftedClock extends Clock {
    private final Clock base;
    private final Path file;
    private volatile Reading last = new Reading(null, -1, Duration.ZERO);

    private record Reading(FileTime modified, long size, Duration shift) {
    }

    ShiftedClock(Clock base, Path file) {
        this.base = base;
        this.file = file;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(shift());
    }

    /** The shift now in force. */
    Duration shift() {
        FileTime modified;
        long size;
        try {
            modified = Files.getLastModifiedTime(file);
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return Duration.ZERO;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the test clock file " + file + ": " + e.getMessage(), e);
        }
        Reading seen = last;
        if (modified.equals(seen.modified()) && size == seen.size()) return seen.shift();
        Duration shift = parse(file);
        last = new Reading(modified, size, shift);
        return shift;
    }

    static Duration parse(Path file) {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            return Duration.ZERO;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the test clock file " + file + ": " + e.getMessage(), e);
        }
        if (text.isEmpty()) return Duration.ZERO;
        Duration shift;
        try {
            shift = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("the test clock file " + file + " holds no ISO-8601 duration: " + text, e);
        }
        if (shift.isNegative()) throw new IllegalStateException("the test clock file " + file + " shifts backwards: " + text);
        return shift;
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new ShiftedClock(base.withZone(zone), file);
    }
}
