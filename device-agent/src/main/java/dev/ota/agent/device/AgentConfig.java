package dev.ota.agent.device;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * The agent's configuration file ({@code agent.properties}). Relative paths are taken relative to the file's
 * folder, so a device image can ship the whole layout in one directory.
 *
 * @param deviceId         this device
 * @param hardwareId       matched against a target's {@code custom.hardwareIds}
 * @param metadataUrl      the image repository's {@code /metadata/}
 * @param targetsUrl       the image repository's {@code /targets/}
 * @param stateDir         trusted metadata, journal, staging area, boot state and reports
 * @param slotsDir         holds the two slots {@code a/} and {@code b/}
 * @param trustedRoot      root shipped with the device, copied into the state folder on first use
 * @param healthCommand    shell command run in the booted slot; exit 0 means healthy
 * @param healthTimeout    a health check running longer counts as failed
 * @param maxTrialBoots    trial boots the boot loader allows before it returns to the last good slot
 * @param rebootCommand    run to reboot a real device; empty: the agent boots the trial slot in-process
 * @param slotCapacity     simulated size of a slot in bytes (for tests of a full disk); empty: unlimited
 * @param downloadTimeout  most time one download may take (slow retrieval); longer transfers are aborted
 */
public record AgentConfig(String deviceId, String hardwareId, URI metadataUrl, URI targetsUrl, Path stateDir,
                          Path slotsDir, Path trustedRoot, String healthCommand, Duration healthTimeout,
                          int maxTrialBoots, Optional<String> rebootCommand, OptionalLong slotCapacity,
                          Duration downloadTimeout) {

    public static AgentConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        String capacity = p.getProperty("slot.capacity-bytes", "").trim();
        String reboot = p.getProperty("reboot.command", "").trim();
        return new AgentConfig(
                required(p, "device.id"), required(p, "hardware.id"),
                URI.create(required(p, "repository.metadata-url")), URI.create(required(p, "repository.targets-url")),
                base.resolve(required(p, "state.dir")), base.resolve(required(p, "slots.dir")),
                base.resolve(required(p, "trusted.root")),
                required(p, "health.command"),
                Duration.ofSeconds(Long.parseLong(p.getProperty("health.timeout-seconds", "30").trim())),
                Integer.parseInt(p.getProperty("boot.max-trial-boots", "3").trim()),
                reboot.isEmpty() ? Optional.empty() : Optional.of(reboot),
                capacity.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(capacity)),
                Duration.ofSeconds(Long.parseLong(p.getProperty("download.timeout-seconds", "300").trim())));
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("configuration lacks '" + key + "'");
        return v.trim();
    }

    public Path metadataDir() {
        return stateDir.resolve("metadata");
    }
}
