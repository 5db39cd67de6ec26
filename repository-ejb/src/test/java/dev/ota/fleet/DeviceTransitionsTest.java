package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.fleet.DeviceTransitions.Action;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceTransitionsTest {
    @Test
    void pendingDeviceIsAcceptedOrRejected() {
        assertEquals(Optional.of(DeviceStatus.ACCEPTED), DeviceTransitions.next(DeviceStatus.PENDING, Action.ACCEPT));
        assertEquals(Optional.of(DeviceStatus.REJECTED), DeviceTransitions.next(DeviceStatus.PENDING, Action.REJECT));
    }

    @Test
    void acceptedDeviceIsNeitherAcceptedAgainNorRejected() {
        assertEquals(Optional.empty(), DeviceTransitions.next(DeviceStatus.ACCEPTED, Action.ACCEPT));
        assertEquals(Optional.empty(), DeviceTransitions.next(DeviceStatus.ACCEPTED, Action.REJECT));
    }

    @Test
    void decommissionedIsFinal() {
        for (Action a : Action.values()) {
            assertEquals(Optional.empty(), DeviceTransitions.next(DeviceStatus.DECOMMISSIONED, a), a.name());
        }
        assertEquals(Optional.of(DeviceStatus.DECOMMISSIONED), DeviceTransitions.next(DeviceStatus.ACCEPTED, Action.DECOMMISSION));
    }

    @Test
    void rejectedDeviceMayStillBeAccepted() {
        assertEquals(Optional.of(DeviceStatus.ACCEPTED), DeviceTransitions.next(DeviceStatus.REJECTED, Action.ACCEPT));
    }

    @Test
    void aDeviceAlreadyInTheStatusAnActionLeadsToIsDoneNotRefused() {
        assertEquals(true, DeviceTransitions.alreadyDone(DeviceStatus.ACCEPTED, Action.ACCEPT));
        assertEquals(true, DeviceTransitions.alreadyDone(DeviceStatus.REJECTED, Action.REJECT));
        assertEquals(true, DeviceTransitions.alreadyDone(DeviceStatus.DECOMMISSIONED, Action.DECOMMISSION));
        assertEquals(false, DeviceTransitions.alreadyDone(DeviceStatus.ACCEPTED, Action.REJECT));
        assertEquals(false, DeviceTransitions.alreadyDone(DeviceStatus.PENDING, Action.ACCEPT));
    }
}
