package dev.ota.rollout;

import static dev.ota.rollout.RolloutMachine.RolloutStatus.AWAITING_APPROVAL;
import static dev.ota.rollout.RolloutMachine.RolloutStatus.CANCELED;
import static dev.ota.rollout.RolloutMachine.RolloutStatus.COMPLETED;
import static dev.ota.rollout.RolloutMachine.RolloutStatus.DRAFT;
import static dev.ota.rollout.RolloutMachine.RolloutStatus.HALTED;
import static dev.ota.rollout.RolloutMachine.RolloutStatus.PAUSED;
import static dev.ota.rollout.RolloutMachine.RolloutStatus.RUNNING;
import static dev.ota.rollout.RolloutMachine.RolloutStatus.SCHEDULED;
import static dev.ota.rollout.RolloutMachine.WaveStatus.ACTIVE;
import static dev.ota.rollout.RolloutMachine.WaveStatus.FAILED;
import static dev.ota.rollout.RolloutMachine.WaveStatus.PASSED;
import static dev.ota.rollout.RolloutMachine.WaveStatus.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.rollout.RolloutMachine.Alert;
import dev.ota.rollout.RolloutMachine.CancelOpenActions;
import dev.ota.rollout.RolloutMachine.Decision;
import dev.ota.rollout.RolloutMachine.RetryFailedActions;
import dev.ota.rollout.RolloutMachine.RolloutState;
import dev.ota.rollout.RolloutMachine.StartRollbackCampaign;
import dev.ota.rollout.RolloutMachine.StartWave;
import dev.ota.rollout.RolloutMachine.WaveEnded;
import dev.ota.tuf.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutMachineTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final RolloutDefinition DEF = RolloutDefinition.withDefaults("fw", "a.bin", new JsonValue.JsonObject(Map.of()));

    static RolloutDefinition onTrip(OnTrip onTrip) {
        return def(20, List.of(10, 100), 95, Duration.ofHours(1), ErrorBudget.DEFAULT, onTrip);
    }

    static RolloutDefinition def(int canary, List<Integer> waves, int successPct, Duration soak, ErrorBudget budget,
                                 OnTrip onTrip) {
        return new RolloutDefinition("fw", "a.bin", DEF.filter(), canary, waves, successPct, soak, budget, onTrip,
                RetryPolicy.DEFAULT, 0, List.of(), InstallRule.DEFAULT, null);
    }

    static RolloutState running(RolloutDefinition d) {
        RolloutState s = RolloutMachine.submit(RolloutState.draft(d)).state();
        s = RolloutMachine.approve(s, d, "alice", "bob", d.hash()).state();
        return RolloutMachine.start(s, d, T0).state();
    }

    static WaveTally tally(int members, int succeeded, int failed, int held) {
        return new WaveTally(members, succeeded, failed == 0 ? Map.of() : Map.of("install:", failed), held);
    }

    static List<WaveTally> canary(WaveTally t) {
        return List.of(t, WaveTally.EMPTY, WaveTally.EMPTY);
    }

    @Test
    void draftIsSubmittedApprovedByAnotherAccountAndStartsWithTheCanary() {
        RolloutState draft = RolloutState.draft(DEF);
        assertEquals(DRAFT, draft.status());
        assertEquals(List.of(PENDING, PENDING, PENDING), draft.waveStatuses());
        RolloutState awaiting = RolloutMachine.submit(draft).state();
        assertEquals(AWAITING_APPROVAL, awaiting.status());
        RolloutState scheduled = RolloutMachine.approve(awaiting, DEF, "alice", "bob", DEF.hash()).state();
        assertEquals(SCHEDULED, scheduled.status());
        assertEquals(DEF.hash(), scheduled.approvedHash());
        assertEquals("bob", scheduled.approvedBy());
        Decision started = RolloutMachine.start(scheduled, DEF, T0);
        assertEquals(RUNNING, started.state().status());
        assertEquals(List.of(ACTIVE, PENDING, PENDING), started.state().waveStatuses());
        assertEquals(T0, started.state().waves().get(0).startedAt());
        assertEquals(List.of(new StartWave(0)), started.steps());
        assertEquals(draft.revision() + 3, started.state().revision(), "every change raises the revision");
    }

    @Test
    void theCreatorCannotApproveTheirOwnRollout() {
        RolloutState awaiting = RolloutMachine.submit(RolloutState.draft(DEF)).state();
        IllegalTransition e = assertThrows(IllegalTransition.class,
                () -> RolloutMachine.approve(awaiting, DEF, "alice", "alice", DEF.hash()));
        assertEquals("rollout.approval-own", e.code());
    }

    @Test
    void approvalBindsToTheDefinitionHashTheApproverSaw() {
        RolloutState awaiting = RolloutMachine.submit(RolloutState.draft(DEF)).state();
        RolloutDefinition changed = onTrip(OnTrip.CANCEL);
        IllegalTransition e = assertThrows(IllegalTransition.class,
                () -> RolloutMachine.approve(awaiting, changed, "alice", "bob", DEF.hash()));
        assertEquals("rollout.approval-stale", e.code());
    }

    @Test
    void anEditAfterApprovalNeedsApprovalAgainAndAChangedDefinitionDoesNotStart() {
        RolloutState scheduled = RolloutMachine.approve(RolloutMachine.submit(RolloutState.draft(DEF)).state(), DEF,
                "alice", "bob", DEF.hash()).state();
        RolloutState edited = RolloutMachine.edited(scheduled).state();
        assertEquals(DRAFT, edited.status());
        assertEquals(null, edited.approvedHash());
        assertEquals("rollout.approval-stale", assertThrows(IllegalTransition.class,
                () -> RolloutMachine.start(scheduled, onTrip(OnTrip.CANCEL), T0)).code());
        assertEquals("rollout.state-conflict", assertThrows(IllegalTransition.class,
                () -> RolloutMachine.start(edited, DEF, T0)).code());
    }

    @Test
    void aWavePassesOnlyAfterHoldingSuccessPctForTheSoakTime() {
        RolloutState s = running(DEF);
        // 19 of 20 is 95%: the soak starts when the threshold is reached, not when the wave started.
        Instant reached = T0.plus(Duration.ofHours(5));
        Decision d = RolloutMachine.tick(DEF, s, canary(tally(20, 19, 0, 0)), reached);
        assertEquals(reached, d.state().waves().get(0).thresholdSince());
        assertEquals(List.of(), d.steps());
        Decision early = RolloutMachine.tick(DEF, d.state(), canary(tally(20, 19, 0, 0)), reached.plusSeconds(3599));
        assertSame(d.state(), early.state(), "no change before the soak is over");
        Decision passed = RolloutMachine.tick(DEF, d.state(), canary(tally(20, 20, 0, 0)), reached.plus(Duration.ofHours(1)));
        assertEquals(List.of(PASSED, ACTIVE, PENDING), passed.state().waveStatuses());
        assertEquals(List.of(new WaveEnded(0, PASSED), new StartWave(1)), passed.steps());
    }

    @Test
    void progressIsNotSuccess() {
        RolloutState s = running(DEF);
        // 18 succeeded, 2 still in TRIAL or DOWNLOADED: 90% < 95%, nothing passes however long it soaks.
        Decision d = RolloutMachine.tick(DEF, s, canary(tally(20, 18, 0, 0)), T0.plus(Duration.ofDays(3)));
        assertSame(s, d.state());
    }

    @Test
    void droppingBelowTheThresholdRestartsTheSoak() {
        RolloutState s = RolloutMachine.tick(DEF, running(DEF), canary(tally(20, 19, 0, 0)), T0).state();
        RolloutState below = RolloutMachine.tick(DEF, s, canary(tally(21, 19, 0, 0)), T0.plusSeconds(600)).state();
        assertEquals(null, below.waves().get(0).thresholdSince());
        RolloutState again = RolloutMachine.tick(DEF, below, canary(tally(21, 20, 0, 0)), T0.plusSeconds(1200)).state();
        assertEquals(T0.plusSeconds(1200), again.waves().get(0).thresholdSince());
    }

    @Test
    void theLastWavePassingCompletesTheRollout() {
        RolloutDefinition d = def(1, List.of(100), 95, Duration.ZERO, ErrorBudget.DEFAULT, OnTrip.PAUSE);
        RolloutState s = running(d);
        s = RolloutMachine.tick(d, s, List.of(tally(1, 1, 0, 0), WaveTally.EMPTY), T0).state();
        Decision done = RolloutMachine.tick(d, s, List.of(tally(1, 1, 0, 0), tally(40, 40, 0, 0)), T0.plusSeconds(60));
        assertEquals(COMPLETED, done.state().status());
        assertEquals(List.of(PASSED, PASSED), done.state().waveStatuses());
        assertEquals(List.of(new WaveEnded(1, PASSED)), done.steps());
    }

    @Test
    void noWavePassesWhileAStartedWaveStillHasMembersToOrder() {
        RolloutDefinition d = def(1, List.of(100), 95, Duration.ZERO, ErrorBudget.DEFAULT, OnTrip.PAUSE);
        RolloutState s = running(d);
        s = RolloutMachine.tick(d, s, List.of(tally(1, 1, 0, 0), WaveTally.EMPTY), T0).state();
        // 40 of 41 succeeded is above 95%, but one device (a joiner, or the tail of a big wave) is not ordered yet:
        // passing the last wave would complete the rollout without ever ordering it.
        WaveTally unorderedJoiner = new WaveTally(41, 40, Map.of(), 0, 1);
        Decision waiting = RolloutMachine.tick(d, s, List.of(tally(1, 1, 0, 0), unorderedJoiner), T0.plusSeconds(60));
        assertEquals(RUNNING, waiting.state().status());
        assertEquals(List.of(PASSED, ACTIVE), waiting.state().waveStatuses());
        assertEquals(List.of(), waiting.steps());
        // The same holds for a canary whose last batch is still waiting while the next wave is planned.
        WaveTally lastBatchWaiting = new WaveTally(20, 19, Map.of(), 0, 1);
        RolloutState c = RolloutMachine.tick(DEF, running(DEF), canary(lastBatchWaiting), T0).state();
        assertEquals(T0, c.waves().get(0).thresholdSince(), "the soak runs meanwhile");
        Decision canaryWaiting = RolloutMachine.tick(DEF, c, canary(lastBatchWaiting), T0.plus(Duration.ofHours(2)));
        assertEquals(List.of(ACTIVE, PENDING, PENDING), canaryWaiting.state().waveStatuses());
        Decision ordered = RolloutMachine.tick(d, waiting.state(), List.of(tally(1, 1, 0, 0), tally(41, 40, 0, 0)),
                T0.plusSeconds(120));
        assertEquals(COMPLETED, ordered.state().status(), "once ordered, the wave passes");
    }

    @Test
    void anEmptyWavePassesWithoutSoaking() {
        RolloutState s = running(DEF);
        s = RolloutMachine.tick(DEF, s, canary(tally(20, 20, 0, 0)), T0).state();
        s = RolloutMachine.tick(DEF, s, canary(tally(20, 20, 0, 0)), T0.plus(Duration.ofHours(1))).state();
        Decision d = RolloutMachine.tick(DEF, s, List.of(tally(20, 20, 0, 0), WaveTally.EMPTY, tally(3, 0, 0, 0)),
                T0.plus(Duration.ofHours(1)));
        assertEquals(List.of(PASSED, PASSED, ACTIVE), d.state().waveStatuses());
    }

    @Test
    void belowTheMinimumSampleAHighFailureShareDoesNotTrip() {
        // 1 of 3 completed failed (33%), but 3 < minSample 10; and 19 of 20 can still reach 95%.
        RolloutState s = running(DEF);
        assertSame(s, RolloutMachine.tick(DEF, s, canary(tally(20, 2, 1, 0)), T0.plusSeconds(60)).state());
    }

    @Test
    void atTheMinimumSampleTheErrorPercentageTrips() {
        RolloutState s = running(DEF);
        // 1 of 10 completed is 10% >= errorPct 10.
        Decision d = RolloutMachine.tick(DEF, s, canary(tally(20, 9, 1, 0)), T0.plusSeconds(60));
        assertEquals(PAUSED, d.state().status());
        assertEquals(ACTIVE, d.state().waves().get(0).status(), "a budget pause may be resumed into the same wave");
        assertTrue(d.steps().get(0) instanceof Alert a && a.code().equals("rollout.tripped"), d.steps().toString());
    }

    @Test
    void theAbsoluteCapTripsAHugeWaveBeforeItsPercentageDoes() {
        RolloutDefinition lenient = def(20, List.of(100), 50, Duration.ZERO, ErrorBudget.DEFAULT, OnTrip.CANCEL);
        RolloutState s = RolloutMachine.tick(lenient, running(lenient), List.of(tally(20, 20, 0, 0), WaveTally.EMPTY), T0).state();
        List<WaveTally> t24 = List.of(tally(20, 20, 0, 0), tally(10_000, 4000, 24, 0));
        assertSame(s, RolloutMachine.tick(lenient, s, t24, T0.plusSeconds(60)).state(), "24 failed of 4044 completed is under 1%, and the wave can still reach 50%");
        Decision d = RolloutMachine.tick(lenient, s, List.of(tally(20, 20, 0, 0), tally(10_000, 4000, 25, 0)),
                T0.plusSeconds(120));
        assertEquals(CANCELED, d.state().status());
        assertEquals(List.of(PASSED, FAILED), d.state().waveStatuses());
        assertTrue(d.steps().contains(new CancelOpenActions()));
    }

    @Test
    void theBudgetCountsTheWholeRolloutNotOneWave() {
        RolloutDefinition d = def(20, List.of(10, 100), 80, Duration.ZERO, new ErrorBudget(10, 10, 1000), OnTrip.PAUSE);
        RolloutState s = running(d);
        RolloutState w1 = RolloutMachine.tick(d, s, List.of(tally(20, 18, 0, 0), WaveTally.EMPTY, WaveTally.EMPTY), T0).state();
        assertEquals(List.of(PASSED, ACTIVE, PENDING), w1.waveStatuses());
        // 2 of 25 completed (8%): no trip
        List<WaveTally> ok = List.of(tally(20, 19, 1, 0), tally(100, 4, 1, 0), WaveTally.EMPTY);
        assertSame(w1, RolloutMachine.tick(d, w1, ok, T0.plusSeconds(60)).state());
        // The canary alone (1 of 20, 5%) and wave 1 alone (2 of 5, under the minimum sample) would not trip;
        // the rollout's 3 of 25 (12%) does.
        Decision tripped = RolloutMachine.tick(d, w1, List.of(tally(20, 19, 1, 0), tally(100, 3, 2, 0), WaveTally.EMPTY),
                T0.plusSeconds(120));
        assertEquals(PAUSED, tripped.state().status());
    }

    @Test
    void criticalHeldDevicesAreNeverFailures() {
        RolloutState s = running(DEF);
        // 19 of the canary report critical for a week: nothing trips, nothing passes.
        Decision d = RolloutMachine.tick(DEF, s, canary(tally(20, 1, 0, 19)), T0.plus(Duration.ofDays(7)));
        assertSame(s, d.state());
        assertEquals(List.of(), d.steps());
    }

    @Test
    void anAttackOrVerifyFailurePausesAtOnceWhateverOnTripSays() {
        RolloutDefinition d = onTrip(OnTrip.rollback("old-rb.bin"));
        RolloutState s = running(d);
        WaveTally attacked = new WaveTally(20, 0, Map.of("attack:", 1), 0);
        Decision paused = RolloutMachine.tick(d, s, canary(attacked), T0.plusSeconds(1));
        assertEquals(PAUSED, paused.state().status());
        assertTrue(paused.steps().get(0) instanceof Alert a && a.code().equals("rollout.alarm"));
        // resuming accepts that one; a second verify: failure pauses again
        RolloutState resumed = RolloutMachine.resume(paused.state(), canary(attacked), T0.plusSeconds(2)).state();
        assertEquals(RUNNING, resumed.status());
        assertSame(resumed, RolloutMachine.tick(d, resumed, canary(attacked), T0.plusSeconds(3)).state());
        WaveTally twice = new WaveTally(20, 0, Map.of("attack:", 1, "verify:", 1), 0);
        assertEquals(PAUSED, RolloutMachine.tick(d, resumed, canary(twice), T0.plusSeconds(4)).state().status());
    }

    @Test
    void resumingAcceptsTheFailuresSoFarAndTheNextOneTripsAgain() {
        RolloutState s = running(DEF);
        RolloutState paused = RolloutMachine.tick(DEF, s, canary(tally(20, 9, 1, 0)), T0).state();
        RolloutState resumed = RolloutMachine.resume(paused, canary(tally(20, 9, 1, 0)), T0.plusSeconds(60)).state();
        assertEquals(1, resumed.acceptedFailures());
        assertSame(resumed, RolloutMachine.tick(DEF, resumed, canary(tally(20, 10, 1, 0)), T0.plusSeconds(120)).state());
        assertEquals(PAUSED, RolloutMachine.tick(DEF, resumed, canary(tally(20, 10, 2, 0)), T0.plusSeconds(180))
                .state().status());
    }

    @Test
    void onTripCancelEndsTheRolloutAndCancelsOpenActions() {
        RolloutDefinition d = onTrip(OnTrip.CANCEL);
        Decision dec = RolloutMachine.tick(d, running(d), canary(tally(20, 9, 1, 0)), T0);
        assertEquals(CANCELED, dec.state().status());
        assertEquals(FAILED, dec.state().waves().get(0).status());
        assertEquals(new WaveEnded(0, FAILED), dec.steps().get(0));
        assertTrue(dec.steps().contains(new CancelOpenActions()));
    }

    @Test
    void onTripRollbackHaltsAndStartsTheRollbackCampaign() {
        RolloutDefinition d = onTrip(OnTrip.rollback("lock-fw/1.4.0-rb1.bin"));
        Decision dec = RolloutMachine.tick(d, running(d), canary(tally(20, 0, 2, 0)), T0);
        assertEquals(HALTED, dec.state().status());
        assertEquals(new StartRollbackCampaign("lock-fw/1.4.0-rb1.bin"), dec.steps().get(dec.steps().size() - 1));
        assertTrue(dec.steps().contains(new CancelOpenActions()));
    }

    @Test
    void aBadReleaseHaltsWithinTheCanaryAndNoLaterWaveEverStarts() {
        // fleet.md, "Proving it": the canary's devices fail one after another over an afternoon.
        RolloutDefinition d = onTrip(OnTrip.rollback("lock-fw/1.4.0-rb1.bin"));
        RolloutState s = running(d);
        List<RolloutMachine.Step> steps = new java.util.ArrayList<>();
        for (int failed = 0; failed <= 20 && s.status() == RUNNING; failed++) {
            Decision dec = RolloutMachine.tick(d, s, canary(tally(20, 0, failed, 0)), T0.plus(Duration.ofMinutes(10L * failed)));
            steps.addAll(dec.steps());
            s = dec.state();
        }
        assertEquals(HALTED, s.status());
        assertEquals(List.of(FAILED, PENDING, PENDING), s.waveStatuses());
        assertTrue(steps.stream().noneMatch(step -> step instanceof StartWave), steps.toString());
    }

    @Test
    void aWaveThatCanNoLongerReachSuccessPctFailsAndResumingGoesOnToTheNext() {
        RolloutDefinition d = def(20, List.of(10, 100), 95, Duration.ZERO, new ErrorBudget(1000, 100, 1000), OnTrip.PAUSE);
        RolloutState s = running(d);
        assertSame(s, RolloutMachine.tick(d, s, canary(tally(20, 0, 1, 0)), T0).state(), "19 of 20 is still 95%");
        Decision failed = RolloutMachine.tick(d, s, canary(tally(20, 0, 2, 0)), T0.plusSeconds(60));
        assertEquals(PAUSED, failed.state().status());
        assertEquals(List.of(FAILED, PENDING, PENDING), failed.state().waveStatuses());
        Decision resumed = RolloutMachine.resume(failed.state(), canary(tally(20, 18, 2, 0)), T0.plusSeconds(120));
        assertEquals(List.of(FAILED, ACTIVE, PENDING), resumed.state().waveStatuses());
        assertEquals(List.of(new StartWave(1)), resumed.steps());
    }

    @Test
    void retryFailedReopensTheBudget() {
        RolloutState paused = RolloutMachine.tick(DEF, running(DEF), canary(tally(20, 9, 1, 0)), T0).state();
        RolloutState resumed = RolloutMachine.resume(paused, canary(tally(20, 9, 1, 0)), T0).state();
        Decision retried = RolloutMachine.retryFailed(resumed);
        assertEquals(0, retried.state().acceptedFailures());
        assertEquals(List.of(new RetryFailedActions()), retried.steps());
    }

    @Test
    void pauseResumeAndCancelOnlyFromTheirStates() {
        RolloutState s = running(DEF);
        RolloutState paused = RolloutMachine.pause(s).state();
        assertEquals(PAUSED, paused.status());
        assertSame(paused, RolloutMachine.tick(DEF, paused, canary(tally(20, 20, 0, 0)), T0.plus(Duration.ofDays(1))).state(),
                "a paused rollout does not move");
        assertEquals("rollout.state-conflict", assertThrows(IllegalTransition.class, () -> RolloutMachine.pause(paused)).code());
        assertThrows(IllegalTransition.class, () -> RolloutMachine.resume(s, canary(WaveTally.EMPTY), T0));
        Decision canceled = RolloutMachine.cancel(paused);
        assertEquals(CANCELED, canceled.state().status());
        assertEquals(List.of(new CancelOpenActions()), canceled.steps());
        assertEquals(List.of(), RolloutMachine.cancel(RolloutState.draft(DEF)).steps(), "nothing was assigned yet");
        assertThrows(IllegalTransition.class, () -> RolloutMachine.cancel(canceled.state()));
        assertThrows(IllegalTransition.class, () -> RolloutMachine.submit(s));
    }

    @Test
    void aDecisionLeavesTheStateItWasGivenAsItWas() {
        RolloutState s = running(DEF);
        RolloutState copy = new RolloutState(s.status(), s.revision(), s.approvedHash(), s.approvedBy(), s.waves(),
                s.acceptedFailures(), s.acceptedAlarms());
        Decision d = RolloutMachine.tick(DEF, s, canary(tally(20, 20, 0, 0)), T0);
        assertEquals(copy, s);
        assertEquals(s.revision() + 1, d.state().revision(), "the compare-and-set expects the old revision");
    }

    @Test
    void countsThatDoNotAddUpAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> tally(10, 8, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new WaveTally(10, 8, Map.of(), 0, 3));
        assertThrows(IllegalArgumentException.class, () -> RolloutMachine.tick(DEF, running(DEF),
                List.of(WaveTally.EMPTY), T0));
    }
}
