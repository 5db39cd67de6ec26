package dev.ota.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The rollout and wave state machine of fleet.md as pure functions: each takes the current state (and the
 * counts and the time it needs) and returns a {@link Decision}, the next state and the steps the service must
 * carry out, or throws {@link IllegalTransition}. Nothing is mutated, so the service writes the decision with a
 * compare-and-set on {@link RolloutState#revision()} and a second server that lost the race simply decides again
 * from what won.
 * <pre>
 * rollout  DRAFT -> AWAITING_APPROVAL -> SCHEDULED -> RUNNING <-> PAUSED -> COMPLETED | CANCELED | HALTED
 * wave     PENDING -> ACTIVE -> PASSED | FAILED
 * </pre>
 */
public final class RolloutMachine {
    public enum RolloutStatus { DRAFT, AWAITING_APPROVAL, SCHEDULED, RUNNING, PAUSED, COMPLETED, CANCELED, HALTED }

    public enum WaveStatus { PENDING, ACTIVE, PASSED, FAILED }

    /**
     * One wave's state; index 0 of a rollout's waves is the canary.
     *
     * @param thresholdSince when the wave last reached successPct, its soak's start; null below it
     */
    public record WaveState(WaveStatus status, Instant startedAt, Instant thresholdSince, Instant endedAt) {
        public static final WaveState PENDING = new WaveState(WaveStatus.PENDING, null, null, null);

        public WaveState {
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * A rollout's state, as the service stores it.
     *
     * @param revision         raised by every change: the compare-and-set column
     * @param approvedHash     the definition hash the approver approved; null until approved
     * @param approvedBy       who approved it
     * @param acceptedFailures failures an operator accepted by resuming; the budget trips again only on a further one
     * @param acceptedAlarms   attack:/verify: failures an operator accepted by resuming
     */
    public record RolloutState(RolloutStatus status, long revision, String approvedHash, String approvedBy,
                               List<WaveState> waves, int acceptedFailures, int acceptedAlarms) {
        public RolloutState {
            Objects.requireNonNull(status, "status");
            waves = List.copyOf(waves);
        }

        /** A new rollout: DRAFT, revision 1, every wave (the canary and one per definition wave) pending. */
        public static RolloutState draft(RolloutDefinition definition) {
            List<WaveState> waves = new ArrayList<>();
            for (int i = 0; i <= definition.waves().size(); i++) {
                waves.add(WaveState.PENDING);
            }
            return new RolloutState(RolloutStatus.DRAFT, 1, null, null, waves, 0, 0);
        }

        public List<WaveStatus> waveStatuses() {
            return waves.stream().map(WaveState::status).toList();
        }

        RolloutState with(RolloutStatus s, List<WaveState> w, String hash, String by, int failures, int alarms) {
            return new RolloutState(s, revision + 1, hash, by, w, failures, alarms);
        }
    }

    /** What the service must do after writing the decision's state; in list order. */
    public sealed interface Step {
    }

    /** Freeze the wave's members and assign them, except the devices that report critical (held until they do not). */
    public record StartWave(int wave) implements Step {
    }

    /** The wave ended; audit it. */
    public record WaveEnded(int wave, WaveStatus status) implements Step {
    }

    /** Every device not yet installing gets an empty signed assignment; installing ones finish and report. */
    public record CancelOpenActions() implements Step {
    }

    /** Create and start the rollback campaign, {@link RolloutDefinition#rollbackCampaign}, for the devices that got the bad release. */
    public record StartRollbackCampaign(String rollbackPath) implements Step {
    }

    /** Put the finally failed actions back to ASSIGNED with a new attempt (the operator's "retry failed"). */
    public record RetryFailedActions() implements Step {
    }

    /** Tell people: an alarm (attack:/verify:) or a tripped budget, with why. */
    public record Alert(String code, String message) implements Step {
    }

    public record Decision(RolloutState state, List<Step> steps) {
        public Decision {
            steps = List.copyOf(steps);
        }
    }

    private RolloutMachine() {
    }

    public static Decision submit(RolloutState s) {
        require(s, "submit", RolloutStatus.DRAFT);
        return new Decision(s.with(RolloutStatus.AWAITING_APPROVAL, s.waves(), null, null, 0, 0), List.of());
    }

    /**
     * Four eyes (fleet.md, "Approval"): someone other than the creator (the service checks the release-manager
     * role) approves the exact definition, named by the hash the approver saw.
     */
    public static Decision approve(RolloutState s, RolloutDefinition definition, String creator, String approver,
                                   String approvedHash) {
        require(s, "approve", RolloutStatus.AWAITING_APPROVAL);
        if (approver.equals(creator)) {
            throw new IllegalTransition("rollout.approval-own", "a rollout is approved by someone other than "
                    + "its creator (four eyes)");
        }
        if (!definition.hash().equals(approvedHash)) {
            throw new IllegalTransition("rollout.approval-stale", "the rollout changed since it was shown: approve "
                    + definition.hash() + ", not " + approvedHash);
        }
        return new Decision(s.with(RolloutStatus.SCHEDULED, s.waves(), approvedHash, approver, 0, 0), List.of());
    }

    /** An edit of the definition: back to DRAFT, the approval gone (fleet.md: "any later edit needs approval again"). */
    public static Decision edited(RolloutState s) {
        require(s, "edit", RolloutStatus.DRAFT, RolloutStatus.AWAITING_APPROVAL, RolloutStatus.SCHEDULED);
        return new Decision(s.with(RolloutStatus.DRAFT, s.waves(), null, null, 0, 0), List.of());
    }

    /** SCHEDULED to RUNNING, the canary first; only the definition that was approved starts. */
    public static Decision start(RolloutState s, RolloutDefinition definition, Instant now) {
        require(s, "start", RolloutStatus.SCHEDULED);
        if (!definition.hash().equals(s.approvedHash())) {
            throw new IllegalTransition("rollout.approval-stale", "the definition is not the one approved");
        }
        List<WaveState> waves = new ArrayList<>(s.waves());
        waves.set(0, new WaveState(WaveStatus.ACTIVE, now, null, null));
        return new Decision(s.with(RolloutStatus.RUNNING, waves, s.approvedHash(), s.approvedBy(), 0, 0),
                List.of(new StartWave(0)));
    }

    public static Decision pause(RolloutState s) {
        require(s, "pause", RolloutStatus.RUNNING);
        return new Decision(s.with(RolloutStatus.PAUSED, s.waves(), s.approvedHash(), s.approvedBy(),
                s.acceptedFailures(), s.acceptedAlarms()), List.of());
    }

    /**
     * PAUSED to RUNNING. Resuming accepts the failures so far: the budget and the alarm trip again only on a
     * further failure, not at once on the ones the operator has seen. A wave that failed stays failed and the
     * next one starts (resuming after a failed wave means "go on regardless").
     */
    public static Decision resume(RolloutState s, List<WaveTally> tallies, Instant now) {
        require(s, "resume", RolloutStatus.PAUSED);
        int failed = tallies.stream().mapToInt(WaveTally::failedTotal).sum();
        int alarms = tallies.stream().mapToInt(WaveTally::alarming).sum();
        List<WaveState> waves = new ArrayList<>(s.waves());
        List<Step> steps = new ArrayList<>();
        RolloutStatus status = RolloutStatus.RUNNING;
        if (!waves.stream().anyMatch(w -> w.status() == WaveStatus.ACTIVE)) {
            int next = s.waveStatuses().indexOf(WaveStatus.PENDING);
            if (next < 0) {
                status = RolloutStatus.COMPLETED;
            } else {
                waves.set(next, new WaveState(WaveStatus.ACTIVE, now, null, null));
                steps.add(new StartWave(next));
            }
        }
        return new Decision(s.with(status, waves, s.approvedHash(), s.approvedBy(), failed, alarms), steps);
    }

    /** Any state before an end to CANCELED; a started rollout's open actions are canceled. */
    public static Decision cancel(RolloutState s) {
        require(s, "cancel", RolloutStatus.DRAFT, RolloutStatus.AWAITING_APPROVAL, RolloutStatus.SCHEDULED,
                RolloutStatus.RUNNING, RolloutStatus.PAUSED);
        boolean started = s.status() == RolloutStatus.RUNNING || s.status() == RolloutStatus.PAUSED;
        return new Decision(s.with(RolloutStatus.CANCELED, s.waves(), s.approvedHash(), s.approvedBy(),
                s.acceptedFailures(), s.acceptedAlarms()), started ? List.of(new CancelOpenActions()) : List.of());
    }

    /** The operator's "retry failed devices": they count as open again, so nothing is accepted any more. */
    public static Decision retryFailed(RolloutState s) {
        require(s, "retry failed devices of", RolloutStatus.RUNNING, RolloutStatus.PAUSED);
        return new Decision(s.with(s.status(), s.waves(), s.approvedHash(), s.approvedBy(), 0, 0),
                List.of(new RetryFailedActions()));
    }

    /**
     * The scheduler's decision for a running rollout at {@code now}, from each wave's counts (index 0 the
     * canary): in order, an alarm failure pauses; a tripped budget applies onTrip; the active wave passes once it
     * has held successPct for the soak time (the next starts, or the rollout completes), or fails once successPct
     * is out of reach, which applies onTrip too. Critical-held devices are never failures: they only keep a wave
     * from passing. Anything but RUNNING: no change.
     */
    public static Decision tick(RolloutDefinition d, RolloutState s, List<WaveTally> tallies, Instant now) {
        if (s.status() != RolloutStatus.RUNNING) {
            return new Decision(s, List.of());
        }
        if (tallies.size() != s.waves().size()) {
            throw new IllegalArgumentException("one tally per wave, the canary first");
        }
        int active = s.waveStatuses().indexOf(WaveStatus.ACTIVE);
        if (active < 0) {
            throw new IllegalStateException("a running rollout has an active wave");
        }
        int failed = 0;
        int completed = 0;
        int alarms = 0;
        for (WaveTally t : tallies) {
            failed += t.failedTotal();
            completed += t.failedTotal() + t.succeeded();
            alarms += t.alarming();
        }
        if (alarms > s.acceptedAlarms()) {
            return new Decision(s.with(RolloutStatus.PAUSED, s.waves(), s.approvedHash(), s.approvedBy(),
                    s.acceptedFailures(), s.acceptedAlarms()), List.of(new Alert("rollout.alarm", alarms
                    + " device(s) failed with attack: or verify:; the rollout paused at once")));
        }
        if (failed > s.acceptedFailures() && d.errorBudget().tripped(completed, failed)) {
            return trip(d, s, active, false, "error budget: " + failed + " of " + completed + " completed devices"
                    + " failed (budget: " + d.errorBudget().errorPct() + "% from " + d.errorBudget().minSample()
                    + " completed, or " + d.errorBudget().maxFailed() + ")", now);
        }
        WaveTally t = tallies.get(active);
        WaveState w = s.waves().get(active);
        List<WaveState> waves = new ArrayList<>(s.waves());
        long needed = (long) d.successPct() * t.members();
        if ((long) t.succeeded() * 100 >= needed) {
            Instant since = w.thresholdSince() == null ? now : w.thresholdSince();
            // An empty wave has nobody to watch: it passes without soaking. No wave passes while a started wave
            // still has members to order (ordered batch by batch): the last one passing would complete the rollout
            // with devices never tried, and a device that joined the active wave this tick would never be ordered.
            boolean allOrdered = tallies.subList(0, active + 1).stream().allMatch(x -> x.unordered() == 0);
            if (allOrdered && (t.members() == 0 || !now.isBefore(since.plus(d.soak())))) {
                return pass(s, active, now);
            }
            if (w.thresholdSince() == null) {
                waves.set(active, new WaveState(WaveStatus.ACTIVE, w.startedAt(), now, null));
                return new Decision(s.with(s.status(), waves, s.approvedHash(), s.approvedBy(), s.acceptedFailures(),
                        s.acceptedAlarms()), List.of());
            }
            return new Decision(s, List.of());
        }
        if ((long) (t.members() - t.failedTotal()) * 100 < needed && failed > s.acceptedFailures()) {
            return trip(d, s, active, true, "wave " + active + " can no longer reach " + d.successPct() + "%: "
                    + t.failedTotal() + " of its " + t.members() + " devices failed", now);
        }
        if (w.thresholdSince() != null) {
            // Fell below the threshold again (e.g. members joined): the soak starts over when it is reached again.
            waves.set(active, new WaveState(WaveStatus.ACTIVE, w.startedAt(), null, null));
            return new Decision(s.with(s.status(), waves, s.approvedHash(), s.approvedBy(), s.acceptedFailures(),
                    s.acceptedAlarms()), List.of());
        }
        return new Decision(s, List.of());
    }

    private static Decision pass(RolloutState s, int active, Instant now) {
        List<WaveState> waves = new ArrayList<>(s.waves());
        WaveState w = waves.get(active);
        waves.set(active, new WaveState(WaveStatus.PASSED, w.startedAt(), w.thresholdSince(), now));
        List<Step> steps = new ArrayList<>(List.of(new WaveEnded(active, WaveStatus.PASSED)));
        RolloutStatus status = RolloutStatus.RUNNING;
        if (active + 1 < waves.size()) {
            waves.set(active + 1, new WaveState(WaveStatus.ACTIVE, now, null, null));
            steps.add(new StartWave(active + 1));
        } else {
            status = RolloutStatus.COMPLETED;
        }
        return new Decision(s.with(status, waves, s.approvedHash(), s.approvedBy(), s.acceptedFailures(),
                s.acceptedAlarms()), steps);
    }

    /** fleet.md, "On trip": PAUSE, CANCEL, or ROLLBACK (HALTED plus a rollback campaign). */
    private static Decision trip(RolloutDefinition d, RolloutState s, int active, boolean waveFailed, String why,
                                 Instant now) {
        List<WaveState> waves = new ArrayList<>(s.waves());
        List<Step> steps = new ArrayList<>();
        OnTrip.Action action = d.onTrip().action();
        // A paused rollout may be resumed into the same wave after a budget trip; every other trip ends the wave.
        if (waveFailed || action != OnTrip.Action.PAUSE) {
            WaveState w = waves.get(active);
            waves.set(active, new WaveState(WaveStatus.FAILED, w.startedAt(), w.thresholdSince(), now));
            steps.add(new WaveEnded(active, WaveStatus.FAILED));
        }
        steps.add(new Alert("rollout.tripped", why + "; on trip: " + action));
        RolloutStatus status = switch (action) {
            case PAUSE -> RolloutStatus.PAUSED;
            case CANCEL -> RolloutStatus.CANCELED;
            case ROLLBACK -> RolloutStatus.HALTED;
        };
        if (action != OnTrip.Action.PAUSE) {
            steps.add(new CancelOpenActions());
        }
        if (action == OnTrip.Action.ROLLBACK) {
            steps.add(new StartRollbackCampaign(d.onTrip().rollbackPath()));
        }
        return new Decision(s.with(status, waves, s.approvedHash(), s.approvedBy(), s.acceptedFailures(),
                s.acceptedAlarms()), steps);
    }

    private static void require(RolloutState s, String command, RolloutStatus... allowed) {
        for (RolloutStatus a : allowed) {
            if (s.status() == a) {
                return;
            }
        }
        throw new IllegalTransition("rollout.state-conflict", "cannot " + command + " a rollout that is "
                + s.status() + " (allowed from " + List.of(allowed) + ")");
    }
}
