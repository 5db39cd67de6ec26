package dev.ota.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ota.error.ErrorKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AssignmentRulesTest {
    private static final ListedImage FW_42 = new ListedImage("lock-fw/1.5.0.bin", 8, Map.of("sha256", "ab".repeat(32)),
            List.of("lock-v2", "lock-v3"), OptionalLong.of(42));

    @Test
    void acceptsAListedImageForTheDevicesHardwareWithAHigherOrEqualCounter() {
        assertSame(FW_42, AssignmentRules.accept(FW_42.path(), Optional.of(FW_42), "lock-v3", OptionalLong.of(41)));
        assertSame(FW_42, AssignmentRules.accept(FW_42.path(), Optional.of(FW_42), "lock-v2", OptionalLong.of(42)));
    }

    @Test
    void acceptsADeviceThatReportedNoInstalledImageYet() {
        assertSame(FW_42, AssignmentRules.accept(FW_42.path(), Optional.of(FW_42), "lock-v2", OptionalLong.empty()));
    }

    @Test
    void refusesATargetTheImageRepositoryDoesNotList() {
        DirectorFailure e = assertThrows(DirectorFailure.class,
                () -> AssignmentRules.accept("lock-fw/9.bin", Optional.empty(), "lock-v2", OptionalLong.empty()));
        assertEquals("assignment.target-not-listed", e.code());
        assertEquals(ErrorKind.CONFLICT, e.kind());
    }

    @Test
    void refusesAnImageReleasedForOtherHardware() {
        DirectorFailure e = assertThrows(DirectorFailure.class,
                () -> AssignmentRules.accept(FW_42.path(), Optional.of(FW_42), "lock-v1", OptionalLong.of(1)));
        assertEquals("assignment.wrong-hardware", e.code());
    }

    @Test
    void refusesAReleaseCounterBelowTheInstalledOne() {
        DirectorFailure e = assertThrows(DirectorFailure.class,
                () -> AssignmentRules.accept(FW_42.path(), Optional.of(FW_42), "lock-v2", OptionalLong.of(43)));
        assertEquals("assignment.release-counter-lower", e.code());
    }

    @Test
    void refusesAnImageWithoutAReleaseCounter() {
        ListedImage none = new ListedImage("x.bin", 1, Map.of("sha256", "00".repeat(32)), List.of("lock-v2"),
                OptionalLong.empty());
        DirectorFailure e = assertThrows(DirectorFailure.class,
                () -> AssignmentRules.accept("x.bin", Optional.of(none), "lock-v2", OptionalLong.empty()));
        assertEquals("assignment.no-release-counter", e.code());
    }

    @Test
    void readsTheReleaseCounterFromTheReleasesCustomFields() {
        assertEquals(OptionalLong.of(42), ListedImage.releaseCounterOf("{\"releaseCounter\":42,\"notes\":\"x\"}"));
        assertEquals(OptionalLong.empty(), ListedImage.releaseCounterOf("{\"notes\":\"x\"}"));
        assertEquals(OptionalLong.empty(), ListedImage.releaseCounterOf("{\"releaseCounter\":\"42\"}"));
        assertEquals(OptionalLong.empty(), ListedImage.releaseCounterOf(""));
    }
}
