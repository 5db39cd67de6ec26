package dev.ota.agent.runtime;

import dev.ota.agent.device.DeviceProperties;
import dev.ota.agent.slots.BootStateStore;
import dev.ota.agent.slots.Slot;
import dev.ota.agent.slots.SlotStore;
import dev.ota.agent.testing.DeviceUnderTest;
import dev.ota.agent.testing.ImageRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static dev.ota.agent.testing.DeviceUnderTest.HARDWARE;
import static dev.ota.agent.testing.DeviceUnderTest.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device runtime end to end, in process: repository over HTTP, real slots on disk, real health command. */
class UpdateFlowTest {
    @TempDir
    Path dir;
    ImageRepository repo;
    DeviceUnderTest device;
    String lastOutput;

    @BeforeEach
    void setUp() throws Exception {
        repo = new ImageRepository();
        device = DeviceUnderTest.create(dir.resolve("device"), repo, "");
    }

    @AfterEach
    void tearDown() {
        repo.close();
    }

    private int agent(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> all = new java.util.ArrayList<>(List.of("--config", device.config.toString()));
        all.addAll(List.of(args));
        int status = AgentMain.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), System.err, Clock.systemUTC());
        lastOutput = out.toString(StandardCharsets.UTF_8);
        return status;
    }

    private String runningVersion() {
        Slot committed = new BootStateStore(device.state()).read().committed();
        return new SlotStore(device.home.resolve("slots"), OptionalLong.empty()).release(committed).map(SlotStore.Release::version).orElse("0");
    }

    private String reports() throws Exception {
        return Files.readString(device.state().resolve("reports.jsonl"));
    }

    @Test
    void installsAndCommitsAHealthyImage() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", HARDWARE);

        int status = agent("update", "fw/lock.img");

        assertEquals(0, status, lastOutput);
        assertEquals("2.0.0", runningVersion());
        assertEquals(Slot.B, new BootStateStore(device.state()).read().committed());
        assertTrue(reports().contains("\"state\":\"COMMITTED\""));
    }

    @Test
    void rollsBackByItselfWhenTheNewImageIsUnhealthy() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", HARDWARE);
        agent("update", "fw/lock.img");
        repo.publish("fw/lock.img", image("3.0.0", "BROKEN"), "3.0.0", HARDWARE);

        int status = agent("update", "fw/lock.img");

        assertEquals(2, status, lastOutput);
        assertEquals("2.0.0", runningVersion());
        assertTrue(reports().contains("\"reason\":\"health check exited with status 1\",\"state\":\"ROLLED_BACK\""), reports());
    }

    @Test
    void rollsBackWhenTheHealthCheckHangs() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HANG"), "2.0.0", HARDWARE);

        int status = agent("update", "fw/lock.img");

        assertEquals(2, status, lastOutput);
        assertEquals("0", runningVersion());
        assertTrue(reports().contains("did not finish"), reports());
    }

    @Test
    void keepsWorkingVersionWhenTheDownloadIsCorrupted() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", HARDWARE);
        agent("update", "fw/lock.img");
        repo.publish("fw/lock.img", image("3.0.0", "HEALTHY"), "3.0.0", HARDWARE);
        repo.corruptTarget("fw/lock.img");

        int status = agent("update", "fw/lock.img");

        assertEquals(2, status, lastOutput);
        assertEquals("2.0.0", runningVersion());
        assertTrue(reports().contains("sha256 mismatch") || reports().contains("hash"), reports());
        assertTrue(reports().contains("\"state\":\"FAILED\""));
    }

    @Test
    void keepsWorkingVersionWhenTheSlotIsFull() throws Exception {
        DeviceUnderTest small = DeviceUnderTest.create(dir.resolve("small"), repo, "slot.capacity-bytes=8");
        device = small;
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", HARDWARE);

        int status = agent("update", "fw/lock.img");

        assertEquals(2, status, lastOutput);
        assertEquals("0", runningVersion());
        assertTrue(reports().contains("no space left"), reports());
    }

    @Test
    void keepsWorkingVersionWhenTheServerIsDown() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", HARDWARE);
        agent("update", "fw/lock.img");
        repo.close();

        int status = agent("update", "fw/lock.img");

        assertEquals(2, status, lastOutput);
        assertEquals("2.0.0", runningVersion());
        assertTrue(reports().contains("request failed"), reports());
    }

    @Test
    void abortsAServerThatTricklesBytes() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY" + "x".repeat(200)), "2.0.0", HARDWARE);
        repo.trickleTarget("fw/lock.img", 50);

        int status = agent("update", "fw/lock.img");

        assertEquals(2, status, lastOutput);
        assertEquals("0", runningVersion());
        assertTrue(reports().contains("too slow"), reports());
    }

    @Test
    void refusesAnImageForOtherHardware() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", "acme-meter-v1");

        int status = agent("update", "fw/lock.img");

        assertEquals(2, status);
        assertEquals("0", runningVersion());
        assertTrue(reports().contains("not for this device"), reports());
    }

    @Test
    void refusesALowerVersionUnlessRollbackIsExplicit() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", HARDWARE);
        agent("update", "fw/lock.img");
        repo.publish("fw/old.img", image("1.5.0", "HEALTHY"), "1.5.0", HARDWARE);

        assertEquals(2, agent("update", "fw/old.img"));
        assertEquals("2.0.0", runningVersion());

        assertEquals(0, agent("update", "fw/old.img", "--allow-downgrade"), lastOutput);
        assertEquals("1.5.0", runningVersion());
    }

    private OptionalLong runningReleaseCounter() {
        Slot committed = new BootStateStore(device.state()).read().committed();
        return new SlotStore(device.home.resolve("slots"), OptionalLong.empty()).release(committed).orElseThrow().releaseCounter();
    }

    @Test
    void refusesAReleaseWithALowerReleaseCounterThanTheRunningOneEvenWithAHigherVersion() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", 5, HARDWARE);
        assertEquals(0, agent("update", "fw/lock.img"), lastOutput);
        assertEquals(OptionalLong.of(5), runningReleaseCounter(), "the running counter is kept with the slot");
        repo.publish("fw/replayed.img", image("9.0.0", "HEALTHY"), "9.0.0", 4, HARDWARE);

        assertEquals(2, agent("update", "fw/replayed.img"));
        assertEquals(2, agent("update", "fw/replayed.img", "--allow-downgrade"), "the counter rule has no override");

        assertEquals("2.0.0", runningVersion());
        assertTrue(reports().contains("release counter 4, lower than the running release's 5"), reports());
    }

    @Test
    void installsARereleaseOfOldBytesUnderAHigherReleaseCounter() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", 5, HARDWARE);
        agent("update", "fw/lock.img");
        repo.publish("fw/lock-1.5.0-rb1.img", image("1.5.0", "HEALTHY"), "1.5.0", 6, HARDWARE);

        assertEquals(0, agent("update", "fw/lock-1.5.0-rb1.img"), lastOutput);

        assertEquals("1.5.0", runningVersion());
        assertEquals(OptionalLong.of(6), runningReleaseCounter());
    }

    @Test
    void refusesAReleaseWithoutACounterWhenTheRunningOneHasOneEvenWithAllowDowngrade() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", 5, HARDWARE);
        assertEquals(0, agent("update", "fw/lock.img"), lastOutput);
        repo.publish("fw/uncounted.img", image("1.0.0", "HEALTHY"), "1.0.0", HARDWARE);

        assertEquals(2, agent("update", "fw/uncounted.img", "--allow-downgrade"));

        assertEquals("2.0.0", runningVersion());
        assertEquals(OptionalLong.of(5), runningReleaseCounter(), "the counter floor stays");
        assertTrue(reports().contains("has no release counter, but the running release has 5"), reports());
    }

    @Test
    void keepsTheVersionRuleWhenTheRunningReleaseHasNoCounter() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", HARDWARE);
        agent("update", "fw/lock.img");
        repo.publish("fw/old.img", image("1.5.0", "HEALTHY"), "1.5.0", 1, HARDWARE);

        assertEquals(2, agent("update", "fw/old.img"));
        assertEquals("2.0.0", runningVersion());
    }

    @Test
    void refusesAReleaseWhoseCounterIsNotAnInteger() throws Exception {
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), dev.ota.tuf.json.JsonValue.obj(
                "version", dev.ota.tuf.json.JsonValue.of("2.0.0"), "releaseCounter", dev.ota.tuf.json.JsonValue.of("7"),
                "hardwareIds", dev.ota.tuf.json.JsonValue.arr(List.of(dev.ota.tuf.json.JsonValue.of(HARDWARE)))));

        assertEquals(2, agent("update", "fw/lock.img"));

        assertEquals("0", runningVersion());
        assertTrue(reports().contains("custom.releaseCounter"), reports());
    }

    @Test
    void devicePropertiesSurviveUpdates() throws Exception {
        DeviceProperties props = new DeviceProperties(device.state());
        props.write(Map.of("device.id", "lock-0001", "network.ssid", "home", "feature.autolock", "on"));
        repo.publish("fw/lock.img", image("2.0.0", "HEALTHY"), "2.0.0", HARDWARE);
        agent("update", "fw/lock.img");
        repo.publish("fw/lock.img", image("3.0.0", "BROKEN"), "3.0.0", HARDWARE);
        agent("update", "fw/lock.img");

        assertEquals(Map.of("device.id", "lock-0001", "network.ssid", "home", "feature.autolock", "on"), props.read());
    }

    @Test
    void refusesATargetTheRepositoryDoesNotList() throws Exception {
        int status = agent("update", "fw/unknown.img");

        assertEquals(2, status);
        assertTrue(reports().contains("no trusted role lists target"), reports());
    }
}
