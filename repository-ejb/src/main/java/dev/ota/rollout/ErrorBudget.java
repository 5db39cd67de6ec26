package dev.ota.rollout;

/**
 * The error budget over the whole rollout (fleet.md, "Error budget"): trip when {@code completed >= minSample and
 * failed/completed >= errorPct}, or {@code failed >= maxFailed}. Counting the whole rollout rather than one group is
 * the point: hawkBit's percent-of-group rule needs 5,000 failures in a 10k group before it stops.
 *
 * @param minSample completed devices (succeeded or finally failed) before the percentage rule may trip
 * @param errorPct  failed share of completed devices, in whole percent, that trips
 * @param maxFailed finally failed devices that trip whatever the sample
 */
public record ErrorBudget(int minSample, int errorPct, int maxFailed) {
    /** fleet.md: "defaults 10, 10%, 25". */
    public static final ErrorBudget DEFAULT = new ErrorBudget(10, 10, 25);

    public ErrorBudget {
        InvalidRollout.check(minSample >= 1 && minSample <= 1_000_000, "errorBudget.minSample", "1 to 1000000");
        InvalidRollout.check(errorPct >= 1 && errorPct <= 100, "errorBudget.errorPct", "1 to 100 (percent)");
        InvalidRollout.check(maxFailed >= 1 && maxFailed <= 1_000_000, "errorBudget.maxFailed", "1 to 1000000");
    }

    /** Whether {@code failed} of {@code completed} devices break the budget; integer arithmetic, no rounding. */
    public boolean tripped(long completed, long failed) {
        return failed >= maxFailed || (completed >= minSample && failed * 100 >= (long) errorPct * completed);
    }
}
