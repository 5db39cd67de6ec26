package dev.ota.agent.install;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs the configured health command in the booted slot ({@code sh -c}, working directory = the slot, with
 * {@code OTA_SLOT} and {@code OTA_SLOT_DIR} set). Exit 0 within the timeout is healthy; a hanging check is
 * killed with its whole process tree and counts as failed.
 */
public final class HealthCheck {
    private final String command;
    private final Duration timeout;

    public HealthCheck(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    /** @return empty when healthy, else why not */
    public java.util.Optional<String> run(String slotName, Path slotDir) {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(slotDir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OTA_SLOT", slotName);
        pb.environment().put("OTA_SLOT_DIR", slotDir.toAbsolutePath().toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return java.util.Optional.of("health check could not start: " + e.getMessage());
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return java.util.Optional.of("health check did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return java.util.Optional.of("health check interrupted");
        }
        int exit = p.exitValue();
        return exit == 0 ? java.util.Optional.empty() : java.util.Optional.of("health check exited with status " + exit);
    }
}
