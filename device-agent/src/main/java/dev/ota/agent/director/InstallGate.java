package dev.ota.agent.director;

import dev.ota.protocol.Checkin.DeviceState;
import dev.ota.protocol.DirectorTarget;

import java.time.Instant;

/**
 * Whether a downloaded order may be installed now (fleet.md, "Maintenance windows", "Criticality"): only inside
 * one of its install windows (none listed: any time), never while the device is critical, and while it is busy
 * only once the order's {@code force-after} time has come. Pure.
 */
public final class InstallGate {
    private InstallGate() {
    }

    public enum Decision { INSTALL, WAIT_WINDOW, WAIT_DEVICE }

    public static Decision decide(Instant now, DirectorTarget order, DeviceState state) {
        boolean windowOpen = order.installWindows().isEmpty()
                || order.installWindows().stream().anyMatch(w -> !now.isBefore(w.start()) && !now.isAfter(w.end()));
        if (!windowOpen) return Decision.WAIT_WINDOW;
        return switch (state) {
            case IDLE -> Decision.INSTALL;
            // A critical device is never overridden, whatever the policy says.
            case CRITICAL -> Decision.WAIT_DEVICE;
            case BUSY -> order.installPolicy().forceAfter().filter(t -> !now.isBefore(t)).isPresent() ? Decision.INSTALL
                    : Decision.WAIT_DEVICE;
        };
    }
}
