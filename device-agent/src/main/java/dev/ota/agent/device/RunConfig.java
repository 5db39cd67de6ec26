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
import java.util.Properties;

/**
 * The configuration of {@code ota-agent run} (the long-running device process). Relative paths are taken relative
 * to the file's folder. The same file may also hold the keys of {@link AgentConfig} for the install commands.
 * <pre>
 * server.url=http://127.0.0.1:9080          the server's root URL (device-api.md)
 * device.id=lock-0042
 * hardware.id=lock-v2
 * enrollment.token=...                        used until the device is enrolled; never logged
 * state.command=/usr/bin/lock-state           prints idle | busy | critical [reason]; optional (absent: critical)
 * state.timeout-seconds=10
 * properties.file=device.properties          the device's basic properties, backed up to the server
 * data.dir=data                               device key (owner-only), journal
 * state.dir=state / slots.dir=slots           optional: the A/B install whose committed image is reported
 * request.timeout-seconds=30
 *
 * director.root=director-root.json            optional: set, the device follows its director (needs the keys below)
 * director.url=http://127.0.0.1:9080          where /director/{deviceId}/metadata/ is served; default server.url
 * image.root=root.json                        the image repository's root shipped with the device
 * image.url=http://127.0.0.1:9080             where /metadata/ and /targets/ are served; default server.url
 * health.command=... / health.timeout-seconds=30 / boot.max-trial-boots=3 / reboot.command=... /
 * download.timeout-seconds=300                as for the install commands ({@link AgentConfig})
 * </pre>
 * A test puts a proxy between device and server by pointing {@code director.url} and {@code image.url} at it.
 */
public record RunConfig(URI serverUrl, String deviceId, String hardwareId, String enrollmentToken,
                        Optional<String> stateCommand, Duration stateTimeout, Path propertiesFile, Path dataDir,
                        Optional<Path> installStateDir, Optional<Path> slotsDir, Duration requestTimeout,
                        Optional<Updates> updates) {

    /**
     * How the device follows its director: the two shipped roots, where the two repositories are reached, and the
     * A/B install the orders go to.
     */
    public record Updates(Path directorRoot, URI directorUrl, AgentConfig install) {
    }

    public static RunConfig load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        return new RunConfig(URI.create(required(p, "server.url")), required(p, "device.id"), required(p, "hardware.id"),
                required(p, "enrollment.token"), optional(p, "state.command"),
                Duration.ofSeconds(Long.parseLong(p.getProperty("state.timeout-seconds", "10").trim())),
                base.resolve(required(p, "properties.file")), base.resolve(required(p, "data.dir")),
                optional(p, "state.dir").map(base::resolve), optional(p, "slots.dir").map(base::resolve),
                Duration.ofSeconds(Long.parseLong(p.getProperty("request.timeout-seconds", "30").trim())),
                updates(p, base));
    }

    private static Optional<Updates> updates(Properties p, Path base) {
        Optional<String> directorRoot = optional(p, "director.root");
        if (directorRoot.isEmpty()) return Optional.empty();
        String server = required(p, "server.url");
        URI director = URI.create(optional(p, "director.url").orElse(server));
        String image = optional(p, "image.url").orElse(server);
        String imageBase = image.endsWith("/") ? image : image + "/";
        String reboot = p.getProperty("reboot.command", "").trim();
        AgentConfig install = new AgentConfig(required(p, "device.id"), required(p, "hardware.id"),
                URI.create(imageBase + "metadata/"), URI.create(imageBase + "targets/"),
                base.resolve(required(p, "state.dir")), base.resolve(required(p, "slots.dir")), base.resolve(required(p, "image.root")),
                required(p, "health.command"),
                Duration.ofSeconds(Long.parseLong(p.getProperty("health.timeout-seconds", "30").trim())),
                Integer.parseInt(p.getProperty("boot.max-trial-boots", "3").trim()),
                reboot.isEmpty() ? Optional.empty() : Optional.of(reboot), java.util.OptionalLong.empty(),
                Duration.ofSeconds(Long.parseLong(p.getProperty("download.timeout-seconds", "300").trim())));
        return Optional.of(new Updates(base.resolve(directorRoot.get()), director, install));
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("configuration lacks '" + key + "'");
        return v.trim();
    }

    private static Optional<String> optional(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public String toString() {
        // The enrollment token is a secret until used: never printed with the rest.
        return "RunConfig[server=" + serverUrl + ", device=" + deviceId + ", hardware=" + hardwareId + ", data=" + dataDir + "]";
    }
}
