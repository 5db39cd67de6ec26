package dev.ota.agent.it;

import dev.ota.agent.install.Step;
import dev.ota.agent.slots.BootState;
import dev.ota.agent.slots.BootStateStore;
import dev.ota.agent.slots.Slot;
import dev.ota.agent.slots.SlotStore;
import dev.ota.agent.testing.DeviceUnderTest;
import dev.ota.agent.testing.ImageRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static dev.ota.agent.testing.DeviceUnderTest.HARDWARE;
import static dev.ota.agent.testing.DeviceUnderTest.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pulls the plug on the real {@code ota-agent} process right after each journal step (the process halts, no
 * shutdown hooks), then powers the device on again: it must always run a slot whose image verifies, never the
 * unverified one, and end committed or rolled back with a report.
 */
class PowerLossIT {
    private static final Path AGENT = Path.of("bin/ota-agent").toAbsolutePath();

    @TempDir
    Path dir;
    ImageRepository repo;
    DeviceUnderTest device;

    @BeforeEach
    void setUp() throws Exception {
        repo = new ImageRepository();
        device = DeviceUnderTest.create(dir.resolve("device"), repo, "");
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", HARDWARE);
        assertEquals(0, agent(null, "update", "fw/lock.img").exit, "device starts on a committed 2.0.0");
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    record Run(int exit, String output) {
    }

    private Run agent(Step powerLossAfter, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(AGENT.toString(), "--config", device.config.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (powerLossAfter != null) pb.environment().put("OTA_AGENT_POWER_LOSS_AFTER", powerLossAfter.name());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    private void assertRunsAVerifiedSlot(String expectedVersion) {
        SlotStore slots = new SlotStore(device.home.resolve("slots"), OptionalLong.empty());
        BootState s = new BootStateStore(device.state()).read();
        assertTrue(s.trial().isEmpty(), "no slot left on trial: " + s);
        assertTrue(slots.verify(s.committed()), "committed slot " + s.committed() + " verifies");
        assertEquals(expectedVersion, slots.release(s.committed()).orElseThrow().version());
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"STARTED", "DOWNLOADED", "WRITTEN", "TRIAL", "BOOTED", "COMMITTED"})
    void healthyUpdateSurvivesPowerLossAfterEveryStep(Step step) throws Exception {
        repo.publish("fw/lock.img", image("3.0.0", "HEALTHY"), "3.0.0", HARDWARE);

        Run cut = agent(step, "update", "fw/lock.img");
        assertEquals(137, cut.exit, "the process was cut off after " + step + ": " + cut.output);

        Run on = agent(null, "power-on");

        boolean newSlotWasSelected = step.compareTo(Step.TRIAL) >= 0;
        assertRunsAVerifiedSlot(newSlotWasSelected ? "3.0.0" : "2.0.0");
        if (!newSlotWasSelected) {
            assertTrue(on.output.startsWith("ABANDONED"), on.output);
            assertEquals(0, agent(null, "update", "fw/lock.img").exit, "a later update still succeeds");
            assertRunsAVerifiedSlot("3.0.0");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"WRITTEN", "TRIAL", "BOOTED"})
    void brokenUpdateEndsOnTheWorkingVersionAfterPowerLoss(Step step) throws Exception {
        repo.publish("fw/lock.img", image("3.0.0", "BROKEN"), "3.0.0", HARDWARE);

        assertEquals(137, agent(step, "update", "fw/lock.img").exit);
        Run on = agent(null, "power-on");

        assertRunsAVerifiedSlot("2.0.0");
        assertNotEquals(0, on.exit, on.output);
    }

    @ParameterizedTest
    @EnumSource(value = Step.class, names = {"BOOTED"})
    void bootLoopReturnsToLastGoodSlotWithoutTheAgent(Step step) throws Exception {
        repo.publish("fw/lock.img", image("3.0.0", "HEALTHY"), "3.0.0", HARDWARE);
        assertEquals(137, agent(step, "update", "fw/lock.img").exit);

        // The new image crashes the device during every trial boot, before the health check can finish.
        assertEquals(137, agent(Step.BOOTED, "power-on").exit);
        Run third = agent(null, "power-on");

        assertRunsAVerifiedSlot("2.0.0");
        assertTrue(third.output.startsWith("ROLLED_BACK") && third.output.contains("within 2 boots"), third.output);
        assertEquals(Slot.B, new BootStateStore(device.state()).read().committed());
    }
}
