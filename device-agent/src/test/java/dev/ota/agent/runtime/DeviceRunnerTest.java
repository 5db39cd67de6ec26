package dev.ota.agent.runtime;

import dev.ota.agent.device.DeviceProperties;
import dev.ota.agent.device.RunConfig;
import dev.ota.agent.fleet.DeviceJournal;
import dev.ota.agent.fleet.HttpClientTransport;
import dev.ota.agent.fleet.Pacing;
import dev.ota.agent.testing.DevicePeer;
import dev.ota.agent.testing.VirtualTime;
import dev.ota.protocol.Checkin.DeviceState;
import dev.ota.protocol.ConfigBackup;
import dev.ota.protocol.Envelope;
import dev.ota.tuf.crypto.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceRunnerTest {
    private static final String DEVICE = "lock-0042";
    private static final String TOKEN = "enroll-me-7f3a";

    @TempDir
    Path dir;
    private DevicePeer peer;
    private VirtualTime time;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        peer = new DevicePeer();
        time = new VirtualTime(Instant.parse("2026-11-25T10:00:00Z"));
    }

    @AfterEach
    void stop() {
        peer.close();
    }

    private RunConfig config(String stateCommand, URI server) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, String.join("\n", "server.url=" + server, "device.id=" + DEVICE, "hardware.id=lock-v2",
                "enrollment.token=" + TOKEN, "state.command=" + stateCommand, "state.timeout-seconds=5",
                "properties.file=device.properties", "data.dir=data", "request.timeout-seconds=5", ""));
        return RunConfig.load(file);
    }

    /** A new agent process on the same data folder. */
    private DeviceRunner agent() throws Exception {
        return agent(peer.base());
    }

    private DeviceRunner agent(URI server) throws Exception {
        RunConfig c = config("echo idle", server);
        return DeviceRunner.of(c, HttpClientTransport.create(server, Duration.ofSeconds(5)), time, time.sleeper(),
                new SplittableRandom(7), new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private Path propertiesFile() {
        return dir.resolve("device.properties");
    }

    @Test
    void firstStartMakesAnOwnerOnlyKeyEnrollsWithTheTokenAndChecksIn() throws Exception {
        agent().run(3);

        Path key = dir.resolve("data/device-key.pk8");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        DevicePeer.DeviceRecord d = peer.device(DEVICE);
        assertEquals(List.of(1L, 2L, 3L), d.counters);
        assertEquals(DeviceState.IDLE, d.checkins.get(0).state());
        assertEquals("lock-v2", d.checkins.get(0).ecus().get(DEVICE).hardwareId());
        // Virtual time: two waits of the poll interval with jitter, no real sleeping.
        assertEquals(2, time.waits().size());
        for (Duration w : time.waits()) assertTrue(w.toSeconds() >= 270 && w.toSeconds() <= 330, w.toString());
        assertFalse(log().contains(TOKEN), "the enrollment token is never logged");
        assertTrue(d.configVersion >= 1, "first start backs up its properties");
    }

    @Test
    void aPendingDeviceAsksAgainAtThePollIntervalUntilAccepted() throws Exception {
        peer.autoAccept = false;
        peer.pollAfterSeconds = 60;
        DeviceRunner agent = agent();

        agent.run(3);
        assertTrue(peer.device(DEVICE).counters.isEmpty(), "no check-in while pending");
        peer.accept(DEVICE);
        agent.run(1);

        assertEquals(List.of(1L), peer.device(DEVICE).counters);
        for (Duration w : time.waits()) assertTrue(w.toSeconds() >= 54 && w.toSeconds() <= 66, w.toString());
    }

    @Test
    void aRestartOnTheSameDataKeepsTheKeyAndNeverReusesACounter() throws Exception {
        agent().run(2);
        byte[] key = Files.readAllBytes(dir.resolve("data/device-key.pk8"));

        agent().run(2);
        agent().run(1);

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), peer.device(DEVICE).counters);
        assertArrayEquals(key, Files.readAllBytes(dir.resolve("data/device-key.pk8")));
    }

    @Test
    void honoursRetryAfterWithJitterWhenThrottled() throws Exception {
        DeviceRunner agent = agent();
        agent.cycle();
        peer.queue("/devices/v1/" + DEVICE + "/checkins", new DevicePeer.Canned(429, Map.of("Retry-After", "120"), ""));
        peer.queue("/devices/v1/" + DEVICE + "/checkins", new DevicePeer.Canned(503, Map.of("Retry-After", "7"), ""));

        Duration first = agent.cycle();
        Duration second = agent.cycle();

        assertTrue(first.toMillis() >= 120_000 && first.toMillis() <= 144_000, first.toString());
        assertTrue(second.toMillis() >= 7_000 && second.toMillis() <= 8_400, second.toString());
    }

    @Test
    void backsOffExponentiallyWhileTheServerIsUnreachable() throws Exception {
        URI nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            nobody = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        DeviceRunner agent = agent(nobody);

        agent.run(12);

        List<Duration> waits = time.waits();
        for (int i = 0; i < waits.size(); i++) {
            Duration step = Pacing.DEFAULT.backoffStep(i + 1);
            assertTrue(waits.get(i).compareTo(step.dividedBy(2)) >= 0 && waits.get(i).compareTo(step) <= 0, i + ": " + waits);
        }
        assertTrue(waits.get(waits.size() - 1).compareTo(Duration.ofMinutes(10)) <= 0, "capped");
    }

    @Test
    void restoresCorruptPropertiesFromItsOwnSignedBackup() throws Exception {
        agent().run(1);
        DeviceProperties.at(propertiesFile()).write(Map.of("device.id", DEVICE, "net.ssid", "shop-floor", "name", "Front door"));
        agent().run(1);
        long backedUp = peer.device(DEVICE).configVersion;
        Files.write(propertiesFile(), new byte[]{'n', 'a', 'm', 'e', '=', 0, 0, 0, 0});

        agent().run(1);

        DeviceProperties.Local restored = DeviceProperties.at(propertiesFile()).inspect();
        assertEquals(new DeviceProperties.Present(Map.of("device.id", DEVICE, "net.ssid", "shop-floor", "name", "Front door")), restored);
        assertEquals(backedUp, peer.device(DEVICE).configVersion, "a restore uploads nothing");
        assertTrue(log().contains("restored configuration version " + backedUp), log());
    }

    @Test
    void restoresADeletedPropertiesFile() throws Exception {
        agent().run(1);
        DeviceProperties.at(propertiesFile()).write(Map.of("device.id", DEVICE, "name", "Back door"));
        agent().run(1);
        Files.delete(propertiesFile());

        agent().run(1);

        assertEquals(new DeviceProperties.Present(Map.of("device.id", DEVICE, "name", "Back door")),
                DeviceProperties.at(propertiesFile()).inspect());
    }

    @Test
    void refusesToRestoreABackupSignedByAnotherKey() throws Exception {
        agent().run(1);
        long held = peer.device(DEVICE).configVersion;
        byte[] forged = Envelope.sign(new ConfigBackup(DEVICE, held + 1,
                DeviceProperties.toJson(Map.of("device.id", DEVICE, "net.ssid", "attacker"))), SigningKey.generate()).toBytes();
        peer.holdConfig(DEVICE, held + 1, forged);
        byte[] corrupt = {'x', '=', 0, 0};
        Files.write(propertiesFile(), corrupt);

        agent().run(1);

        assertArrayEquals(corrupt, Files.readAllBytes(propertiesFile()), "the forged configuration is never written");
        assertTrue(log().contains("not signed by this device's key"), log());
    }

    @Test
    void bumpsTheConfigVersionAboveTheServersOnAConflict() throws Exception {
        agent().run(1);
        DevicePeer.DeviceRecord d = peer.device(DEVICE);
        long mine = d.configVersion;
        // The server holds a later version the device uploaded but never recorded (power lost before the journal
        // line), and the check-in answers an old version, so only the 409 tells the device.
        byte[] later = dev.ota.agent.fleet.DeviceIdentity.loadOrCreate(dir.resolve("data"), DEVICE, "lock-v2")
                .sign(new ConfigBackup(DEVICE, mine + 5, DeviceProperties.toJson(Map.of("device.id", DEVICE)))).toBytes();
        peer.holdConfig(DEVICE, mine + 5, later);
        peer.queue("/devices/v1/" + DEVICE + "/checkins", new DevicePeer.Canned(200, Map.of(),
                "{\"pollAfterSeconds\":300,\"ackedReports\":{},\"config\":{\"version\":" + mine + ",\"upload\":false},\"token\":\"tok-" + DEVICE + "\"}"));
        DeviceProperties.at(propertiesFile()).write(Map.of("device.id", DEVICE, "name", "Side door"));

        agent().run(1);

        assertEquals(List.of(mine, mine + 1, mine + 6), d.configVersionsTried, "409 on the next version, then above the server's");
        assertEquals(mine + 6, d.configVersion);
        assertEquals(Optional.of(mine + 6), DeviceJournal.open(dir.resolve("data")).config().map(DeviceJournal.ConfigState::version));
    }

    @Test
    void uploadsTheConfigurationWhenTheServerAsks() throws Exception {
        agent().run(1);
        long before = peer.device(DEVICE).configVersion;
        peer.queue("/devices/v1/" + DEVICE + "/checkins", new DevicePeer.Canned(200, Map.of(),
                "{\"pollAfterSeconds\":300,\"ackedReports\":{},\"config\":{\"version\":" + before + ",\"upload\":true},\"token\":\"tok-" + DEVICE + "\"}"));

        agent().run(1);

        assertEquals(before + 1, peer.device(DEVICE).configVersion);
    }

    @Test
    void theRunCommandChecksInForTheCyclesAskedAndExitsZero() throws Exception {
        RunConfig c = config("echo busy door in use", peer.base());
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = AgentMain.run(List.of("--config", dir.resolve("agent.properties").toString(), "run", "--cycles", "1"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                time);

        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(1L), peer.device(DEVICE).counters);
        assertEquals(DeviceState.BUSY, peer.device(DEVICE).checkins.get(0).state());
        assertEquals(Optional.of("door in use"), peer.device(DEVICE).checkins.get(0).stateReason());
        assertEquals(c.dataDir(), dir.resolve("data"));
    }
}
