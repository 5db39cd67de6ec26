package dev.ota.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A simulated device's folder: configuration, trusted root, state and the two slots. */
public final class DeviceUnderTest {
    public static final String HARDWARE = "acme-lock-v2";
    /** Healthy when the booted image says so; a hanging image makes the check hang. */
    public static final String HEALTH = "if grep -q HANG image; then sleep 600; fi; grep -q HEALTHY image";

    public final Path home;
    public final Path config;

    private DeviceUnderTest(Path home, Path config) {
        this.home = home;
        this.config = config;
    }

    public static DeviceUnderTest create(Path home, ImageRepository repo, String extraConfig) throws IOException {
        Files.createDirectories(home);
        Files.write(home.resolve("root.json"), repo.rootBytes());
        Path config = home.resolve("agent.properties");
        Files.writeString(config, String.join("\n",
                "device.id=lock-0001",
                "hardware.id=" + HARDWARE,
                "repository.metadata-url=" + repo.metadataUrl(),
                "repository.targets-url=" + repo.targetsUrl(),
                "state.dir=state",
                "slots.dir=slots",
                "trusted.root=root.json",
                "health.command=" + HEALTH,
                "health.timeout-seconds=2",
                "boot.max-trial-boots=2",
                "download.timeout-seconds=3",
                extraConfig, ""));
        return new DeviceUnderTest(home, config);
    }

    public Path slot(String name) {
        return home.resolve("slots").resolve(name);
    }

    public Path state() {
        return home.resolve("state");
    }

    public static byte[] image(String version, String health) {
        return ("firmware " + version + "\n" + health + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
