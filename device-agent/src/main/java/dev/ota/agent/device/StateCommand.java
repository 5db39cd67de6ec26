package dev.ota.agent.device;

import dev.ota.protocol.Checkin.DeviceState;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks the device what it is doing: runs the configured command ({@code sh -c}) and reads the first line of its
 * output, {@code idle}, {@code busy} or {@code critical}, optionally followed by a reason ({@code busy door in
 * use}). It fails safe (fleet.md, "Criticality"): no command, a command that cannot start, exits non-zero, prints
 * anything else or runs past the timeout (then it is killed with its children) all read as critical, with why.
 */
public final class StateCommand {
    private static final int MAX_REASON = 200;
    private final Optional<String> command;
    private final Duration timeout;
    private final Path scratch;

    /** @param scratch a folder the agent owns; the command's output goes to a file there, never to a pipe */
    public StateCommand(Optional<String> command, Duration timeout, Path scratch) {
        this.command = command;
        this.timeout = timeout;
        this.scratch = scratch;
    }

    /** The device's state and why, as the check-in carries them. */
    public record Reading(DeviceState state, Optional<String> reason) {
        static Reading critical(String why) {
            return new Reading(DeviceState.CRITICAL, Optional.of(why));
        }
    }

    public Reading read() {
        if (command.isEmpty()) return Reading.critical("no state command configured");
        Path out;
        try {
            Files.createDirectories(scratch);
            out = Files.createTempFile(scratch, "state-", ".out");
        } catch (IOException e) {
            return Reading.critical("state command output cannot be kept: " + e.getMessage());
        }
        try {
            // A file, not a pipe: a command that prints a lot can never block on a full pipe and look hung.
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", command.get()).redirectErrorStream(false)
                    .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return Reading.critical("state command could not start: " + e.getMessage());
            }
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    return Reading.critical("state command did not answer within " + timeout.toMillis() + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return Reading.critical("state command interrupted");
            }
            if (p.exitValue() != 0) return Reading.critical("state command exited with status " + p.exitValue());
            return parse(firstLine(out));
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a leftover scratch file is harmless and overwritten by name never
            }
        }
    }

    private static String firstLine(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(1024);
        } catch (IOException e) {
            return "";
        }
        String s = new String(head, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).trim();
    }

    /** A state line: the state word, then an optional reason. Anything else is critical. */
    static Reading parse(String line) {
        String[] parts = line.trim().split("\\s+", 2);
        DeviceState state = switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "idle" -> DeviceState.IDLE;
            case "busy" -> DeviceState.BUSY;
            case "critical" -> DeviceState.CRITICAL;
            default -> null;
        };
        if (state == null) {
            return Reading.critical(line.isEmpty() ? "state command printed nothing" : "state command printed an unknown state");
        }
        if (parts.length < 2 || parts[1].isBlank()) return new Reading(state, Optional.empty());
        String reason = parts[1].trim();
        return new Reading(state, Optional.of(reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason));
    }
}
