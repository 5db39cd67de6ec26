package dev.ota.fleet;

import java.util.Optional;

/** Pure rules of what an administrator may do to a device in each status. */
public final class DeviceTransitions {
    private DeviceTransitions() {
    }

    public enum Action {
        ACCEPT(DeviceStatus.ACCEPTED), REJECT(DeviceStatus.REJECTED), DECOMMISSION(DeviceStatus.DECOMMISSIONED);

        private final DeviceStatus result;

        Action(DeviceStatus result) {
            this.result = result;
        }
    }

    /**
     * Whether the device is already where {@code action} would take it: the call is then answered as done
     * (device-api.md: accept, reject and decommission answer 200), so a harness that accepts every device it
     * enrolled, an auto-accepted one too, or repeats a decommission after a lost answer, is not refused.
     */
    public static boolean alreadyDone(DeviceStatus current, Action action) {
        return current == action.result;
    }

    /**
     * The status after {@code action}, or empty when it does not apply: a pending device is accepted or rejected
     * (a rejected one may still be accepted, a mistake undone); any device but a decommissioned one is
     * decommissioned; a decommissioned device stays so (it enrolls again only under a new id).
     */
    public static Optional<DeviceStatus> next(DeviceStatus current, Action action) {
        return switch (action) {
            case ACCEPT -> current == DeviceStatus.PENDING || current == DeviceStatus.REJECTED
                    ? Optional.of(DeviceStatus.ACCEPTED) : Optional.empty();
            case REJECT -> current == DeviceStatus.PENDING ? Optional.of(DeviceStatus.REJECTED) : Optional.empty();
            case DECOMMISSION -> current != DeviceStatus.DECOMMISSIONED ? Optional.of(DeviceStatus.DECOMMISSIONED)
                    : Optional.empty();
        };
    }
}
