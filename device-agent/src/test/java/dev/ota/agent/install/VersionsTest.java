package dev.ota.agent.install;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionsTest {
    @Test
    void comparesNumericPartsAsNumbers() {
        assertTrue(Versions.compare("1.10.0", "1.9.2") > 0);
        assertTrue(Versions.compare("2", "10") < 0);
    }

    @Test
    void treatsAMissingPartAsLower() {
        assertTrue(Versions.compare("1.2", "1.2.1") < 0);
        assertEquals(0, Versions.compare("3.0.0", "3.0.0"));
    }
}
