package dev.ota.director;

import java.util.Objects;

/**
 * What the director did with one {@link RolloutOrder}: signed it ({@code assignment}), or refused it ({@code
 * refusal}: the code and the reason on one line, e.g. {@code assignment.device-not-accepted: the device is
 * DECOMMISSIONED}). Exactly one of the two is set.
 */
public record RolloutOrderOutcome(String deviceId, AssignmentView assignment, String refusal) {
    public RolloutOrderOutcome {
        Objects.requireNonNull(deviceId);
        if ((assignment == null) == (refusal == null)) {
            throw new IllegalArgumentException("an outcome is either an assignment or a refusal");
        }
    }

    public boolean refused() {
        return refusal != null;
    }
}
