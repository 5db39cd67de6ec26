package dev.ota.deviceapi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {
    @Test
    void turnsAwayTheRequestBeyondItsPlacesAndAdmitsItOnceOneLeaves() {
        ConcurrencyGate gate = new ConcurrencyGate(2, 0);
        assertTrue(gate.tryEnter());
        assertTrue(gate.tryEnter());

        assertFalse(gate.tryEnter());

        gate.leave();
        assertTrue(gate.tryEnter());
    }
}
