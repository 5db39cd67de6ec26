package dev.ota.rollout;

import java.util.Objects;

/**
 * What a tripped error budget does (fleet.md): {@code PAUSE}, {@code CANCEL}, or {@code ROLLBACK}: halt and start a
 * child rollout that assigns the named rollback release (a re-release of the old bytes) to every device that got
 * the bad one. JSON: {@code "PAUSE"}, {@code "CANCEL"} or {@code {"rollback": "lock-fw/1.4.0-rb1.bin"}}.
 *
 * @param action       what to do
 * @param rollbackPath the rollback release's target path; only with {@code ROLLBACK}, null otherwise
 */
public record OnTrip(Action action, String rollbackPath) {
    public enum Action { PAUSE, CANCEL, ROLLBACK }

    /** device-api.md lists PAUSE first; pausing loses nothing and leaves the choice to a person. */
    public static final OnTrip PAUSE = new OnTrip(Action.PAUSE, null);
    public static final OnTrip CANCEL = new OnTrip(Action.CANCEL, null);

    public OnTrip {
        Objects.requireNonNull(action, "action");
        if (action == Action.ROLLBACK) {
            InvalidRollout.check(rollbackPath != null && RolloutDefinition.isTargetPath(rollbackPath),
                    "onTrip.rollback", "a target path of 1 to 1000 printable characters");
        } else {
            InvalidRollout.check(rollbackPath == null, "onTrip", "a rollback path only with rollback");
        }
    }

    public static OnTrip rollback(String path) {
        return new OnTrip(Action.ROLLBACK, path);
    }
}
