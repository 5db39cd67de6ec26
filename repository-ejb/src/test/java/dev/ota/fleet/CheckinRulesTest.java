package dev.ota.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.fleet.CheckinRules.Verdict;
import org.junit.jupiter.api.Test;

class CheckinRulesTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void firstCheckinIsAcceptedWhateverItsCounter() {
        assertEquals(Verdict.ACCEPT, CheckinRules.decide(DeviceStatus.ACCEPTED, null, null, 0, A));
    }

    @Test
    void counterAboveTheLastIsAccepted() {
        assertEquals(Verdict.ACCEPT, CheckinRules.decide(DeviceStatus.ACCEPTED, 7L, B, 8, A));
    }

    @Test
    void equalOrLowerCounterOfOtherBytesIsReplayed() {
        assertEquals(Verdict.REPLAYED, CheckinRules.decide(DeviceStatus.ACCEPTED, 7L, B, 7, A));
        assertEquals(Verdict.REPLAYED, CheckinRules.decide(DeviceStatus.ACCEPTED, 7L, B, 3, A));
    }

    @Test
    void byteIdenticalResendOfTheLastCheckinIsAResendNotAReplay() {
        assertEquals(Verdict.RESEND, CheckinRules.decide(DeviceStatus.ACCEPTED, 7L, A, 7, A));
    }

    @Test
    void deviceThatIsNotAcceptedIsRefusedBeforeAnythingElse() {
        for (DeviceStatus s : new DeviceStatus[] {DeviceStatus.PENDING, DeviceStatus.REJECTED, DeviceStatus.DECOMMISSIONED}) {
            assertEquals(Verdict.NOT_ACCEPTED, CheckinRules.decide(s, 7L, A, 7, A), s.name());
            assertEquals(Verdict.NOT_ACCEPTED, CheckinRules.decide(s, null, null, 1, A), s.name());
        }
    }

    @Test
    void configVersionMustRiseAndUploadIsAskedOnlyForANewerOne() {
        assertTrue(CheckinRules.configVersionAbove(null, 1));
        assertFalse(CheckinRules.configVersionAbove(3L, 3));
        assertTrue(CheckinRules.configVersionAbove(3L, 4));
        assertTrue(CheckinRules.wantsConfigUpload(null, 1L));
        assertTrue(CheckinRules.wantsConfigUpload(2L, 3L));
        assertFalse(CheckinRules.wantsConfigUpload(3L, 3L));
        assertFalse(CheckinRules.wantsConfigUpload(null, null));
        assertFalse(CheckinRules.wantsConfigUpload(null, 0L));
    }

    @Test
    void pollIntervalStaysWithinTheJitterBand() {
        assertEquals(270, CheckinRules.pollAfterSeconds(300, 0.1, 0.0));
        assertEquals(300, CheckinRules.pollAfterSeconds(300, 0.1, 0.5));
        assertTrue(CheckinRules.pollAfterSeconds(300, 0.1, 0.999999) <= 330);
        assertEquals(1, CheckinRules.pollAfterSeconds(1, 0.5, 0.0));
    }
}
