package dev.ota.agent.install;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.JsonValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;

/**
 * Status reports kept for the server's device API (one JSON object per line): downloading, installing,
 * trial, committed, rolled back, failed, each with the reason when there is one.
 */
public final class StatusReports {
    public enum State { DOWNLOADING, INSTALLING, TRIAL, COMMITTED, ROLLED_BACK, FAILED }

    private final Path file;
    private final String deviceId;
    private final Clock clock;

    public StatusReports(Path stateDir, String deviceId, Clock clock) {
        this.file = stateDir.resolve("reports.jsonl");
        this.deviceId = deviceId;
        this.clock = clock;
    }

    public void report(State state, String target, String version, String reason) {
        JsonValue line = JsonValue.obj(
                "time", JsonValue.of(clock.instant().toString()),
                "device", JsonValue.of(deviceId),
                "state", JsonValue.of(state.name()),
                "target", JsonValue.of(target == null ? "" : target),
                "version", JsonValue.of(version == null ? "" : version),
                "reason", JsonValue.of(reason == null ? "" : reason));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, (CanonicalJson.encodeToString(line) + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write status report: " + e.getMessage(), e);
        }
    }

    public List<String> lines() {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
