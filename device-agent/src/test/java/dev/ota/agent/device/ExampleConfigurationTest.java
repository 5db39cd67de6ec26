package dev.ota.agent.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example device of the README's walk ({@code device-agent/examples/demo-device.properties}), copied into a
 * folder as the walk says, is a complete run configuration: a device that enrolls and follows its director, with
 * its slots, state and roots in that folder.
 */
class ExampleConfigurationTest {
    @TempDir
    Path folder;

    @Test
    void theWalksExampleDeviceFollowsItsDirectorWithEverythingInItsOwnFolder() throws Exception {
        Path copy = folder.resolve("demo-device.properties");
        Files.copy(Path.of("examples/demo-device.properties"), copy);

        RunConfig c = RunConfig.load(copy);

        assertEquals("demo-0001", c.deviceId());
        assertEquals("demo-board", c.hardwareId());
        assertEquals("http://127.0.0.1:9080", c.serverUrl().toString());
        RunConfig.Updates u = c.updates().orElseThrow(() -> new AssertionError("the example device does not follow its director"));
        Path real = folder.toAbsolutePath();
        assertEquals(real.resolve("director-root.json"), u.directorRoot());
        assertEquals(real.resolve("image-root.json"), u.install().trustedRoot());
        assertEquals(real.resolve("slots"), u.install().slotsDir());
        assertEquals(real.resolve("state"), u.install().stateDir());
        assertEquals("http://127.0.0.1:9080/metadata/", u.install().metadataUrl().toString());
        assertTrue(c.stateCommand().isPresent(), "without a state command the device counts as critical and never installs");
    }
}
