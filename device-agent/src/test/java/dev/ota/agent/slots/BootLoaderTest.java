package dev.ota.agent.slots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BootLoaderTest {
    @TempDir
    Path state;

    @Test
    void bootsCommittedSlotWhenNothingIsOnTrial() {
        BootLoader loader = new BootLoader(new BootStateStore(state));

        BootLoader.Boot boot = loader.powerOn();

        assertEquals(Slot.A, boot.slot());
        assertFalse(boot.onTrial());
    }

    @Test
    void returnsToLastGoodSlotByItselfAfterTrialBootsAreUsedUp() {
        BootStateStore store = new BootStateStore(state);
        store.write(BootState.factory().withTrial(Slot.B, 2));
        BootLoader loader = new BootLoader(store);

        BootLoader.Boot first = loader.powerOn();
        BootLoader.Boot second = loader.powerOn();
        BootLoader.Boot third = loader.powerOn();

        assertEquals(Slot.B, first.slot());
        assertEquals(Slot.B, second.slot());
        assertEquals(Slot.A, third.slot());
        assertTrue(third.trialsExhausted());
        assertEquals(Optional.empty(), store.read().trial());
        assertEquals(Slot.A, loader.powerOn().slot(), "the abandoned trial slot is not tried again");
    }

    @Test
    void persistsEachTrialBootBeforeTheSlotRuns() {
        BootStateStore store = new BootStateStore(state);
        store.write(BootState.factory().withTrial(Slot.B, 3));

        new BootLoader(store).powerOn();

        assertEquals(2, new BootStateStore(state).read().trialBootsLeft());
    }
}
