package dev.ota.agent.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthCheckTest {
    @TempDir
    Path slot;

    @Test
    void healthyWhenCommandExitsZeroInTheSlot() throws Exception {
        Files.writeString(slot.resolve("image"), "ok");

        Optional<String> problem = new HealthCheck("grep -q ok \"$OTA_SLOT_DIR/image\"", Duration.ofSeconds(10)).run("B", slot);

        assertEquals(Optional.empty(), problem);
    }

    @Test
    void failsWhenCommandExitsNonZero() {
        Optional<String> problem = new HealthCheck("exit 3", Duration.ofSeconds(10)).run("B", slot);

        assertTrue(problem.orElseThrow().contains("status 3"));
    }

    @Test
    void failsAndKillsAHangingCheckAtTheTimeout() {
        long start = System.nanoTime();

        Optional<String> problem = new HealthCheck("sleep 600", Duration.ofSeconds(1)).run("B", slot);

        assertTrue(problem.orElseThrow().contains("did not finish"));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the hanging check was not waited for");
    }
}
