package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnrollmentRulesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private static EnrollmentTokenView token(Instant expires, int maxUses, int uses, Set<String> hardware, Instant revoked) {
        return new EnrollmentTokenView(1L, "", "admin", NOW.minusSeconds(60), expires, maxUses, uses, false, hardware, revoked);
    }

    @Test
    void activeTokenForTheHardwareEnrolls() {
        assertEquals(Optional.empty(), EnrollmentRules.tokenRefusal(token(NOW.plusSeconds(1), 2, 1, Set.of("lock-v2"), null), "lock-v2", NOW));
    }

    @Test
    void tokenWithoutHardwareIdsAllowsAnyHardware() {
        assertEquals(Optional.empty(), EnrollmentRules.tokenRefusal(token(NOW.plusSeconds(1), 1, 0, Set.of(), null), "anything", NOW));
    }

    @Test
    void expiredUsedUpRevokedOrOtherHardwareTokensAreRefused() {
        assertTrue(EnrollmentRules.tokenRefusal(token(NOW, 1, 0, Set.of(), null), "x", NOW).get().contains("expired"));
        assertTrue(EnrollmentRules.tokenRefusal(token(NOW.plusSeconds(9), 3, 3, Set.of(), null), "x", NOW).get().contains("used"));
        assertTrue(EnrollmentRules.tokenRefusal(token(NOW.plusSeconds(9), 3, 0, Set.of(), NOW), "x", NOW).get().contains("revoked"));
        assertTrue(EnrollmentRules.tokenRefusal(token(NOW.plusSeconds(9), 3, 0, Set.of("lock-v2"), null), "lock-v1", NOW).get()
                .contains("lock-v1"));
    }

    @Test
    void sameKeyIsARepeatAndAnotherKeyAConflict() {
        assertEquals(EnrollmentRules.Kind.NEW, EnrollmentRules.kind(Optional.empty(), "k1"));
        assertEquals(EnrollmentRules.Kind.REPEAT, EnrollmentRules.kind(Optional.of("k1"), "k1"));
        assertEquals(EnrollmentRules.Kind.OTHER_KEY, EnrollmentRules.kind(Optional.of("k1"), "k2"));
    }

    @Test
    void autoAcceptDecidesTheFirstStatus() {
        EnrollmentTokenView auto = new EnrollmentTokenView(1L, "", "a", NOW, NOW.plusSeconds(9), 1, 0, true, Set.of(), null);
        assertEquals(DeviceStatus.ACCEPTED, EnrollmentRules.initialStatus(auto));
        assertEquals(DeviceStatus.PENDING, EnrollmentRules.initialStatus(token(NOW.plusSeconds(9), 1, 0, Set.of(), null)));
    }
}
