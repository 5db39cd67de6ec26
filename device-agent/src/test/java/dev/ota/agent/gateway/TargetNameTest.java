package dev.ota.agent.gateway;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TargetNameTest {
    private static final String HASH = "a".repeat(64);

    @Test
    void aConsistentSnapshotNameCarriesThePathAndTheHash() {
        assertEquals(Optional.of(new TargetName("lock-fw/1.5.0.bin", Optional.of(HASH))), TargetName.parse("lock-fw/" + HASH + ".1.5.0.bin"));
    }

    @Test
    void aPlainNameCarriesOnlyThePath() {
        assertEquals(Optional.of(new TargetName("lock-fw/1.5.0.bin", Optional.empty())), TargetName.parse("lock-fw/1.5.0.bin"));
        assertEquals(Optional.of(new TargetName("a b+c.bin", Optional.empty())), TargetName.parse("a%20b+c.bin"));
    }

    @Test
    void namesThatLeaveTheTargetsFolderAreNoTargets() {
        assertEquals(Optional.empty(), TargetName.parse("../etc/passwd"));
        assertEquals(Optional.empty(), TargetName.parse("lock-fw/%2E%2E/x"));
        assertEquals(Optional.empty(), TargetName.parse("lock-fw//x"));
        assertEquals(Optional.empty(), TargetName.parse(""));
    }
}
