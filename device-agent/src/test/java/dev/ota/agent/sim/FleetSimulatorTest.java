package dev.ota.agent.sim;

import dev.ota.agent.fleet.HttpClientTransport;
import dev.ota.agent.testing.DevicePeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetSimulatorTest {
    @TempDir
    Path dir;

    @Test
    void everySimulatedDeviceEnrollsWithItsOwnKeyAndChecksInWithItsOwnCounter() throws Exception {
        try (DevicePeer peer = new DevicePeer()) {
            FleetSimulator sim = new FleetSimulator(HttpClientTransport.create(peer.base(), Duration.ofSeconds(10)), dir, "sim-", "lock-v2",
                    200, 32, Clock.systemUTC());

            FleetSimulator.Phase enrolled = sim.enroll("token");
            FleetSimulator.Phase first = sim.checkinRound(1);
            FleetSimulator.Phase second = sim.checkinRound(2);
            // A second simulator over the same folders is the same fleet after a restart: nothing to enroll.
            FleetSimulator restarted = new FleetSimulator(HttpClientTransport.create(peer.base(), Duration.ofSeconds(10)), dir, "sim-",
                    "lock-v2", 200, 32, Clock.systemUTC());
            FleetSimulator.Phase again = restarted.enroll("token");
            FleetSimulator.Phase third = restarted.checkinRound(3);

            assertEquals(200, enrolled.ok(), enrolled.toString());
            assertEquals(200, first.ok(), first.toString());
            assertEquals(200, second.ok(), second.toString());
            assertEquals(0, again.requests());
            assertEquals(200, third.ok(), third.toString());
            Set<String> keys = new HashSet<>();
            peer.devices().values().forEach(d -> keys.add(d.key.keyId()));
            assertEquals(200, keys.size(), "one key per device");
            peer.devices().values().forEach(d -> assertEquals(List.of(1L, 2L, 3L), d.counters));
        }
    }

    @Test
    void anOpenLoopSendsEveryDueCheckInAndADeviceStillWaitingForAnAnswerSendsItsNextOneAfterIt() throws Exception {
        try (DevicePeer peer = new DevicePeer()) {
            FleetSimulator sim = new FleetSimulator(HttpClientTransport.create(peer.base(), Duration.ofSeconds(10)), dir, "sim-", "lock-v2",
                    3, 8, Clock.systemUTC());
            sim.enroll("token");

            // 30 check-ins due 0.1 ms apart over 3 devices: each device's next one is due long before its previous answer.
            FleetSimulator.OpenLoop run = sim.openLoop(new ArrivalSchedule(10_000, Duration.ofMillis(3)), 64);

            assertEquals(30, run.phase().requests());
            assertEquals(30, run.phase().ok(), run.toString());
            assertEquals(0, run.notOk());
            assertEquals(30, run.phase().latencyMicros().length);
            assertTrue(run.maxInFlight() > 1, "sends did not wait for answers: " + run);
            // Out of order or overlapping check-ins of one device would be refused (409 checkin.replayed) or skip counters.
            peer.devices().values().forEach(d -> assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), d.counters));
        }
    }

    @Test
    void anOpenLoopCountsTheAnswersThatAreNot200() throws Exception {
        try (DevicePeer peer = new DevicePeer()) {
            FleetSimulator sim = new FleetSimulator(HttpClientTransport.create(peer.base(), Duration.ofSeconds(10)), dir, "sim-", "lock-v2",
                    4, 8, Clock.systemUTC());
            sim.enroll("token");
            peer.queue("/devices/v1/sim-000002/checkins", new DevicePeer.Canned(503, Map.of("Retry-After", "5"), "{\"error\":\"busy\"}"));

            FleetSimulator.OpenLoop run = sim.openLoop(new ArrivalSchedule(1_000, Duration.ofMillis(8)), 64);

            assertEquals(8, run.phase().requests());
            assertEquals(7, run.phase().ok(), run.toString());
            assertEquals(1, run.notOk());
            assertEquals(Map.of("ok", 7L, "throttled", 1L), run.phase().outcomes());
            assertEquals(List.of(2L), peer.device("sim-000002").counters, "its first check-in was answered 503");
        }
    }

    @Test
    void listedDevicesCarryTheirSucceededReportAndOnlyTheyCheckInWhenAsked() throws Exception {
        try (DevicePeer peer = new DevicePeer()) {
            FleetSimulator sim = new FleetSimulator(HttpClientTransport.create(peer.base(), Duration.ofSeconds(10)), dir, "sim-", "lock-v2",
                    20, 8, Clock.systemUTC());
            sim.enroll("token");

            int named = sim.succeeded(Map.of("sim-000003", "act-3", "sim-000007", "act-7", "not-in-this-fleet", "act-x"));
            FleetSimulator.Phase round = sim.checkinRound(1, 8, s -> s.identity().deviceId().matches("sim-00000[37]"));

            assertEquals(2, named);
            assertEquals(2, round.ok(), round.toString());
            assertEquals(Map.of("act-3", 1L), peer.device("sim-000003").acked);
            assertEquals(Map.of("act-7", 1L), peer.device("sim-000007").acked);
            assertEquals("SUCCEEDED", peer.device("sim-000003").checkins.get(0).reports().get(0).state().name());
            assertTrue(peer.device("sim-000004").checkins.isEmpty(), "an unlisted device did not check in");
        }
    }
}
