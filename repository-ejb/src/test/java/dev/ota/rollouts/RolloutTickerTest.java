package dev.ota.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RolloutTickerTest {
    @Test
    void aFailureIsDescribedOnOneShortLineByItsClassAndMessage() {
        assertEquals("IllegalStateException: window rules gave no window", RolloutTicker.describe(
                new IllegalStateException("window rules gave no window")));
        assertEquals("NullPointerException", RolloutTicker.describe(new NullPointerException()));
        assertEquals("IllegalArgumentException: bad character ((CTRL-CHAR, code 10)) in a b", RolloutTicker.describe(
                new IllegalArgumentException("bad character ((CTRL-CHAR, code 10)) in a\n\tb")));
        String longer = RolloutTicker.describe(new IllegalArgumentException("x".repeat(1000)));
        assertEquals(303, longer.length());
        assertTrue(longer.startsWith("IllegalArgumentException: xxx") && longer.endsWith("..."), longer);
    }
}
