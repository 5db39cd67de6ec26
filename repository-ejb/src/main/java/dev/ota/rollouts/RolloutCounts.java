package dev.ota.rollouts;

import dev.ota.rollout.WaveTally;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a rollout's devices stand, per wave, from their actions' states (fleet.md, "Truthful success"): only a
 * SUCCEEDED report counts as success; FAILED, ROLLED_BACK and REFUSED are failures by their class; every other
 * state is progress. Pure, so the counting is tested without a server.
 */
final class RolloutCounts {
    static final Set<String> SUCCEEDED = Set.of("SUCCEEDED");
    static final Set<String> FAILED = Set.of("FAILED", "ROLLED_BACK", "REFUSED", "TIMED_OUT");
    /** States after which an action is over: nothing is withdrawn or retried any more. */
    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "ROLLED_BACK", "REFUSED", "TIMED_OUT", "CANCELED",
            "SUPERSEDED", RolloutAction.SKIPPED);
    /** What an operator's "retry failed devices" orders again; REFUSED (an attack or a failed verification) is not. */
    static final Set<String> RETRIED_BY_HAND = Set.of("FAILED", "TIMED_OUT", "ROLLED_BACK");
    /**
     * States that show the device got the release (its installer started on it): the devices a rollback campaign
     * takes back. A failure before installing (download:, install: no space, attack:) left the old image running.
     */
    static final Set<String> GOT_THE_RELEASE = Set.of("INSTALLING", "TRIAL", "SUCCEEDED", "ROLLED_BACK");

    /** How many of a rollout's actions in one wave are in one state (with one failure class). */
    record Count(int wave, String state, String failureClass, int devices) {
    }

    private RolloutCounts() {
    }

    /** One tally per wave, index 0 the canary; waves without actions are empty. */
    static List<WaveTally> tallies(int waves, List<Count> counts) {
        List<WaveTally> out = new ArrayList<>();
        for (int i = 0; i < waves; i++) {
            int members = 0;
            int succeeded = 0;
            int unordered = 0;
            Map<String, Integer> failed = new HashMap<>();
            for (Count c : counts) {
                // A device the director would not order, or that a heavier rollout took, is no member: the wave could
                // otherwise never reach successPct.
                if (c.wave() != i || RolloutAction.SKIPPED.equals(c.state()) || RolloutAction.SUPERSEDED.equals(c.state())) {
                    continue;
                }
                members += c.devices();
                if (SUCCEEDED.contains(c.state())) {
                    succeeded += c.devices();
                } else if (FAILED.contains(c.state())) {
                    failed.merge(c.failureClass() == null ? "unknown:" : c.failureClass(), c.devices(), Integer::sum);
                } else if (RolloutAction.SCHEDULED.equals(c.state())) {
                    unordered += c.devices();
                }
            }
            out.add(new WaveTally(members, succeeded, failed, 0, unordered));
        }
        return out;
    }

    /**
     * Whether a device's report may refuse the rollout's open order although it is filed under another action id:
     * the director metadata the device was served failed to verify (a man in the middle rewrote it, or another
     * device's was replayed to it), so it could trust no action id in it and filed the refusal under one of its own
     * (the reference agent: {@code director-<version>}). fleet.md: an {@code attack:} or {@code verify:} failure
     * pauses the rollout at once, and a refusal the rollout never counted could not pause it. Such a report is a
     * REFUSED of an alarm class under another id that reached the server once this order was signed. The service
     * counts it only for an order the device never reported anything of (an order it took was verified; what it
     * reports of it is what counts) and only when the director never issued the report's id to the device (a late
     * report of an earlier genuine order is that order's). Only ids of the agent's unverified-director convention
     * ({@value #UNVERIFIED_DIRECTOR_PREFIX}N) count: a {@code config-} refusal is about a desired configuration, not
     * the order. The refusal must have happened, by its own report time, no earlier than the order was signed: an
     * agent delivers reports it kept unsent later, and a refusal of older metadata reaching the server after the
     * order was signed is not about the order.
     */
    static boolean mayRefuseOrder(String reportState, String detail, String reportActionId, Instant reportedAt,
                                  Instant receivedAt, String orderActionId, Instant orderAssignedAt) {
        return "REFUSED".equals(reportState) && WaveTally.ALARM_CLASSES.contains(String.valueOf(failureClass(detail)))
                && reportActionId.startsWith(UNVERIFIED_DIRECTOR_PREFIX)
                && !reportActionId.equals(orderActionId) && orderAssignedAt != null
                && !receivedAt.isBefore(orderAssignedAt) && reportedAt != null && !reportedAt.isBefore(orderAssignedAt);
    }

    /** The action id prefix the reference agent files a refusal of director metadata it could not verify under. */
    static final String UNVERIFIED_DIRECTOR_PREFIX = "director-";

    /** The failure class a report's detail starts with ({@code install: no space} is {@code install:}); null if none. */
    static String failureClass(String detail) {
        int colon = detail == null ? -1 : detail.indexOf(':');
        return colon > 0 && colon <= 20 ? detail.substring(0, colon + 1) : null;
    }
}
