package dev.ota.rollout;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a wave's members are doing, counted by the service from their actions for one decision.
 *
 * @param members      the wave's frozen members plus the devices that joined it
 * @param succeeded    SUCCEEDED: the new image installed and committed after a good boot (fleet.md, "Truthful
 *                     success"; TRIAL or DOWNLOADED are progress, not success)
 * @param failed       finally failed actions (FAILED, ROLLED_BACK, TIMED_OUT after the last attempt) by failure
 *                     class, e.g. {@code install:} or {@code attack:}; a retryable failure still waiting for its
 *                     next attempt is not here
 * @param heldCritical members that report critical: waiting, never failures (fleet.md, "Criticality")
 * @param unordered    members still SCHEDULED in a started wave: the service orders a wave batch by batch, and a
 *                     wave whose last devices are not ordered yet has not been tried on them
 */
public record WaveTally(int members, int succeeded, Map<String, Integer> failed, int heldCritical, int unordered) {
    /** fleet.md: "A failure classed attack: or verify: pauses the rollout at once and raises an alarm." */
    public static final java.util.Set<String> ALARM_CLASSES = java.util.Set.of("attack:", "verify:");

    public WaveTally {
        failed = Map.copyOf(new TreeMap<>(failed));
        if (members < 0 || succeeded < 0 || heldCritical < 0 || unordered < 0
                || failed.values().stream().anyMatch(n -> n < 0)
                || succeeded + failedTotal(failed) + heldCritical + unordered > members) {
            throw new IllegalArgumentException("counts must be non-negative and add up to at most the members");
        }
    }

    /** A tally of a wave whose members are all ordered. */
    public WaveTally(int members, int succeeded, Map<String, Integer> failed, int heldCritical) {
        this(members, succeeded, failed, heldCritical, 0);
    }

    public static final WaveTally EMPTY = new WaveTally(0, 0, Map.of(), 0);

    public int failedTotal() {
        return failedTotal(failed);
    }

    /** Failures of the alarm classes. */
    public int alarming() {
        return failed.entrySet().stream().filter(e -> ALARM_CLASSES.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue).sum();
    }

    private static int failedTotal(Map<String, Integer> failed) {
        return failed.values().stream().mapToInt(Integer::intValue).sum();
    }
}
