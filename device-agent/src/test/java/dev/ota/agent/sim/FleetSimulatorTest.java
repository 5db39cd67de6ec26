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
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
