package dev.ota.rollout;

import static dev.ota.rollout.RolloutMachine.WaveStatus.ACTIVE;
import static dev.ota.rollout.RolloutMachine.WaveStatus.FAILED;
import static dev.ota.rollout.RolloutMachine.WaveStatus.PASSED;
import static dev.ota.rollout.RolloutMachine.WaveStatus.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.rollout.WavePlanner.Candidate;
import dev.ota.rollout.WavePlanner.Plan;
import dev.ota.tuf.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WavePlannerTest {
    static final RolloutDefinition DEFAULTS = RolloutDefinition.withDefaults("fw", "a.bin", new JsonValue.JsonObject(Map.of()));

    static List<Candidate> devices(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> Candidate.free(String.format("lock-%05d", i))).toList();
    }

    static int waveIn(Plan plan, String device) {
        for (int i = 0; i < plan.waves().size(); i++) {
            if (plan.waves().get(i).contains(device)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void canaryHasItsFixedSizeAndTheRestSplitsByCumulativePercent() {
        Plan plan = WavePlanner.plan("r-1", DEFAULTS, devices(0, 10_020));
        assertEquals(3, plan.waves().size());
        assertEquals(20, plan.waves().get(0).size());
        int first = plan.waves().get(1).size();
        // 10% of the 10,000 others, in expectation; a uniform hash stays within 3 sigma (~90) of it.
        assertTrue(first > 900 && first < 1100, "wave 1 holds about 10% of the rest: " + first);
        assertEquals(10_000, first + plan.waves().get(2).size());
    }

    @Test
    void theSameDevicesInAnyOrderGiveTheSamePlan() {
        List<Candidate> shuffled = new ArrayList<>(devices(0, 500));
        Collections.shuffle(shuffled, new Random(7));
        assertEquals(WavePlanner.plan("r-1", DEFAULTS, devices(0, 500)), WavePlanner.plan("r-1", DEFAULTS, shuffled));
    }

    @Test
    void aDevicesWaveAfterTheCanaryDoesNotChangeWhenOthersJoinOrLeave() {
        Plan all = WavePlanner.plan("r-1", DEFAULTS, devices(0, 2000));
        Plan fewer = WavePlanner.plan("r-1", DEFAULTS, devices(0, 1000));
        Plan more = WavePlanner.plan("r-1", DEFAULTS, devices(0, 4000));
        int compared = 0;
        for (int i = 0; i < 1000; i++) {
            String d = String.format("lock-%05d", i);
            int w = waveIn(all, d);
            if (w > 0 && waveIn(fewer, d) > 0 && waveIn(more, d) > 0) {
                assertEquals(w, waveIn(fewer, d), d);
                assertEquals(w, waveIn(more, d), d);
                assertEquals(w, WavePlanner.waveOf("r-1", d, DEFAULTS.waves()), d);
                compared++;
            }
        }
        assertTrue(compared > 900, "most devices are outside every canary: " + compared);
    }

    @Test
    void anotherRolloutPicksAnotherCanary() {
        assertNotEquals(WavePlanner.plan("r-1", DEFAULTS, devices(0, 1000)).waves().get(0),
                WavePlanner.plan("r-2", DEFAULTS, devices(0, 1000)).waves().get(0));
    }

    @Test
    void criticalDevicesAreKeptOutOfTheCanaryButStayInTheRollout() {
        List<Candidate> candidates = new ArrayList<>(devices(0, 200));
        List<String> usualCanary = WavePlanner.plan("r-1", DEFAULTS, candidates).waves().get(0);
        String critical = usualCanary.get(3);
        candidates.replaceAll(c -> c.deviceId().equals(critical) ? new Candidate(critical, true, OptionalInt.empty()) : c);
        Plan plan = WavePlanner.plan("r-1", DEFAULTS, candidates);
        assertEquals(20, plan.waves().get(0).size());
        assertFalse(plan.waves().get(0).contains(critical));
        assertEquals(WavePlanner.waveOf("r-1", critical, DEFAULTS.waves()), waveIn(plan, critical));
    }

    @Test
    void aHeavierRolloutSupersedesALighterOneAndLeavesAnEqualOrHeavierOneItsDevices() {
        RolloutDefinition urgent = new RolloutDefinition("fw", "a.bin", DEFAULTS.filter(), 2, List.of(100), 95,
                DEFAULTS.soak(), ErrorBudget.DEFAULT, OnTrip.PAUSE, RetryPolicy.DEFAULT, 5, List.of(),
                InstallRule.DEFAULT, null);
        List<Candidate> candidates = List.of(Candidate.free("a"), new Candidate("b", false, OptionalInt.of(4)),
                new Candidate("c", false, OptionalInt.of(5)), new Candidate("d", false, OptionalInt.of(9)));
        Plan plan = WavePlanner.plan("r-1", urgent, candidates);
        assertEquals(List.of("b"), plan.supersedes());
        assertEquals(List.of("c", "d"), plan.leftOut());
        assertEquals(List.of("a", "b"), plan.waves().stream().flatMap(List::stream).sorted().toList());
        assertTrue(WavePlanner.takes(1, OptionalInt.empty()));
        assertFalse(WavePlanner.takes(0, OptionalInt.of(0)));
    }

    @Test
    void aJoinerTakesItsOwnWaveWhileThatIsPending() {
        String d = findDeviceInWave(2);
        assertEquals(OptionalInt.of(2), WavePlanner.placeJoiner("r-1", d, DEFAULTS.waves(), List.of(ACTIVE, PENDING, PENDING)));
        assertEquals(OptionalInt.of(2), WavePlanner.placeJoiner("r-1", d, DEFAULTS.waves(), List.of(PASSED, ACTIVE, PENDING)));
    }

    @Test
    void aJoinerWhoseWaveStartedJoinsTheActiveWaveOrElseThePendingLastOne() {
        String d = findDeviceInWave(1);
        assertEquals(OptionalInt.of(2), WavePlanner.placeJoiner("r-1", d, DEFAULTS.waves(), List.of(PASSED, PASSED, ACTIVE)));
        assertEquals(OptionalInt.of(1), WavePlanner.placeJoiner("r-1", d, DEFAULTS.waves(), List.of(PASSED, ACTIVE, PENDING)));
        // paused after wave 1 failed: nothing active, the last wave has not started
        assertEquals(OptionalInt.of(2), WavePlanner.placeJoiner("r-1", d, DEFAULTS.waves(), List.of(PASSED, FAILED, PENDING)));
        assertEquals(OptionalInt.empty(), WavePlanner.placeJoiner("r-1", d, DEFAULTS.waves(), List.of(PASSED, PASSED, PASSED)));
    }

    @Test
    void aJoinerIsPlacedByTheSameRuleAsThePlan() {
        for (int i = 0; i < 300; i++) {
            String d = "late-" + i;
            assertEquals(OptionalInt.of(WavePlanner.waveOf("r-1", d, DEFAULTS.waves())),
                    WavePlanner.placeJoiner("r-1", d, DEFAULTS.waves(), List.of(ACTIVE, PENDING, PENDING)));
        }
    }

    private static String findDeviceInWave(int wave) {
        return IntStream.range(0, 10_000).mapToObj(i -> "j-" + i)
                .filter(d -> WavePlanner.waveOf("r-1", d, DEFAULTS.waves()) == wave).findFirst().orElseThrow();
    }
}
