package dev.ota.rollouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.rollout.WaveTally;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutCountsTest {
    @Test
    void onlySucceededIsSuccessAndProgressIsNeitherSuccessNorFailure() {
        List<WaveTally> t = RolloutCounts.tallies(2, List.of(
                new RolloutCounts.Count(0, "SUCCEEDED", null, 3),
                new RolloutCounts.Count(0, "TRIAL", null, 2),
                new RolloutCounts.Count(0, "ASSIGNED", null, 1),
                new RolloutCounts.Count(1, "SCHEDULED", null, 7)));

        assertEquals(new WaveTally(6, 3, Map.of(), 0), t.get(0));
        assertEquals(new WaveTally(7, 0, Map.of(), 0, 7), t.get(1), "members not ordered yet are counted as such");
    }

    @Test
    void failuresAndRollbacksCountByClassAndAttackRaisesTheAlarm() {
        List<WaveTally> t = RolloutCounts.tallies(1, List.of(
                new RolloutCounts.Count(0, "FAILED", "install:", 2),
                new RolloutCounts.Count(0, "ROLLED_BACK", "boot:", 1),
                new RolloutCounts.Count(0, "REFUSED", "attack:", 1),
                new RolloutCounts.Count(0, "SUCCEEDED", null, 1)));

        assertEquals(5, t.get(0).members());
        assertEquals(4, t.get(0).failedTotal());
        assertEquals(Map.of("install:", 2, "boot:", 1, "attack:", 1), t.get(0).failed());
        assertEquals(1, t.get(0).alarming());
    }

    @Test
    void aDeviceTheDirectorWouldNotOrderIsNoMemberOfItsWave() {
        List<WaveTally> t = RolloutCounts.tallies(1, List.of(
                new RolloutCounts.Count(0, "SUCCEEDED", null, 19),
                new RolloutCounts.Count(0, RolloutAction.SKIPPED, null, 1)));

        assertEquals(new WaveTally(19, 19, Map.of(), 0), t.get(0), "19 of 19 ordered devices succeeded: 100%, not 95%");
    }

    @Test
    void aDeviceAHeavierRolloutTookIsNoMemberOfItsWaveAndNoFailure() {
        List<WaveTally> t = RolloutCounts.tallies(1, List.of(
                new RolloutCounts.Count(0, "SUCCEEDED", null, 3),
                new RolloutCounts.Count(0, RolloutAction.SUPERSEDED, null, 2)));

        assertEquals(new WaveTally(3, 3, Map.of(), 0), t.get(0));
    }

    @Test
    void aWaveWithoutActionsIsEmpty() {
        assertEquals(List.of(WaveTally.EMPTY, WaveTally.EMPTY), RolloutCounts.tallies(2, List.of()));
    }

    @Test
    void theFailureClassIsTheDetailsPrefix() {
        assertEquals("install:", RolloutCounts.failureClass("install: no space left"));
        assertEquals("verify:", RolloutCounts.failureClass("verify:hash mismatch"));
        assertNull(RolloutCounts.failureClass("no class here"));
        assertNull(RolloutCounts.failureClass(""));
        assertNull(RolloutCounts.failureClass(null));
    }

    @Test
    void aRefusalOfUnverifiableDirectorMetadataMayRefuseTheOrderSignedBeforeIt() {
        Instant signed = Instant.parse("2026-12-01T10:00:00Z");
        String detail = "attack: director metadata rejected: signature";

        assertTrue(RolloutCounts.mayRefuseOrder("REFUSED", detail, "director-7", signed, signed, "a-1", signed));
        assertTrue(RolloutCounts.mayRefuseOrder("REFUSED", "verify: bad", "director-7", signed.plusSeconds(1),
                signed.plusSeconds(1), "a-1", signed));
        assertFalse(RolloutCounts.mayRefuseOrder("REFUSED", detail, "director-7", signed.minusSeconds(1),
                signed.minusSeconds(1), "a-1", signed),
                "received before the order was signed: a refusal of something earlier");
        assertFalse(RolloutCounts.mayRefuseOrder("REFUSED", detail, "a-1", signed, signed, "a-1", signed),
                "under the order's own id it counts as the order's report");
        assertFalse(RolloutCounts.mayRefuseOrder("REFUSED", "install: no space", "director-7", signed, signed, "a-1",
                signed),
                "only the alarm classes");
        assertFalse(RolloutCounts.mayRefuseOrder("FAILED", detail, "director-7", signed, signed, "a-1", signed));
        assertFalse(RolloutCounts.mayRefuseOrder("REFUSED", detail, "director-7", signed, signed, "a-1", null),
                "an order not signed yet is refused by nothing");
    }

    @Test
    void onlyARefusalOfDirectorMetadataMadeOnceTheOrderWasSignedMayRefuseIt() {
        Instant signed = Instant.parse("2026-12-01T10:00:00Z");
        String detail = "attack: director metadata rejected: signature";

        assertFalse(RolloutCounts.mayRefuseOrder("REFUSED", detail, "director-7", signed.minusSeconds(60),
                signed.plusSeconds(60), "a-1", signed), "made before the order, delivered after it: about older metadata");
        assertFalse(RolloutCounts.mayRefuseOrder("REFUSED", detail, "director-7", null, signed, "a-1", signed));
        assertFalse(RolloutCounts.mayRefuseOrder("REFUSED", "verify: not an object of string properties", "config-ab12",
                signed, signed, "a-1", signed), "a desired configuration's refusal is not about the order");
        assertFalse(RolloutCounts.mayRefuseOrder("REFUSED", detail, "config-ab12", signed, signed, "a-1", signed));
        assertTrue(RolloutCounts.mayRefuseOrder("REFUSED", detail, "director-7", signed, signed.plusSeconds(60), "a-1",
                signed));
    }
}
