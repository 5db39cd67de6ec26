package dev.ota.agent.director;

import dev.ota.agent.director.InstallGate.Decision;
import dev.ota.protocol.Checkin.DeviceState;
import dev.ota.protocol.DirectorTarget;
import dev.ota.protocol.DirectorTarget.InstallPolicy;
import dev.ota.protocol.DirectorTarget.InstallWindow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InstallGateTest {
    private static final Instant NOON = Instant.parse("2026-11-25T12:00:00Z");

    private static DirectorTarget order(List<InstallWindow> windows, InstallPolicy policy) {
        return new DirectorTarget(Map.of("lock-0042", "lock-v2"), List.of("lock-v2"), 42, "a-9", 1, windows, policy);
    }

    @Test
    void withoutWindowsAnIdleDeviceInstallsWhenReady() {
        assertEquals(Decision.INSTALL, InstallGate.decide(NOON, order(List.of(), InstallPolicy.RESPECT_BUSY), DeviceState.IDLE));
    }

    @Test
    void theDeviceInstallsOnlyInsideAWindowItsEdgesIncluded() {
        DirectorTarget o = order(List.of(new InstallWindow(Instant.parse("2026-11-25T02:00:00Z"), Instant.parse("2026-11-25T04:00:00Z")),
                new InstallWindow(NOON, Instant.parse("2026-11-25T13:00:00Z"))), InstallPolicy.RESPECT_BUSY);
        assertEquals(Decision.INSTALL, InstallGate.decide(NOON, o, DeviceState.IDLE));
        assertEquals(Decision.INSTALL, InstallGate.decide(Instant.parse("2026-11-25T13:00:00Z"), o, DeviceState.IDLE));
        assertEquals(Decision.WAIT_WINDOW, InstallGate.decide(Instant.parse("2026-11-25T11:59:59Z"), o, DeviceState.IDLE));
        assertEquals(Decision.WAIT_WINDOW, InstallGate.decide(Instant.parse("2026-11-25T13:00:01Z"), o, DeviceState.IDLE));
    }

    @Test
    void aBusyDeviceWaitsUnlessForceAfterHasCome() {
        assertEquals(Decision.WAIT_DEVICE, InstallGate.decide(NOON, order(List.of(), InstallPolicy.RESPECT_BUSY), DeviceState.BUSY));
        DirectorTarget forced = order(List.of(), new InstallPolicy(Optional.of(NOON)));
        assertEquals(Decision.WAIT_DEVICE, InstallGate.decide(NOON.minusSeconds(1), forced, DeviceState.BUSY));
        assertEquals(Decision.INSTALL, InstallGate.decide(NOON, forced, DeviceState.BUSY));
    }

    @Test
    void aCriticalDeviceIsNeverForced() {
        DirectorTarget forced = order(List.of(), new InstallPolicy(Optional.of(NOON.minusSeconds(86_400))));
        assertEquals(Decision.WAIT_DEVICE, InstallGate.decide(NOON, forced, DeviceState.CRITICAL));
    }

    @Test
    void aClosedWindowHoldsEvenAForcedBusyDevice() {
        DirectorTarget o = order(List.of(new InstallWindow(NOON.plusSeconds(3600), NOON.plusSeconds(7200))), new InstallPolicy(Optional.of(NOON)));
        assertEquals(Decision.WAIT_WINDOW, InstallGate.decide(NOON, o, DeviceState.BUSY));
    }
}
