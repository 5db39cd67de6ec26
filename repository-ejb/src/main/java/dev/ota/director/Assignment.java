package dev.ota.director;

import dev.ota.protocol.DirectorTarget;
import dev.ota.protocol.DirectorTarget.InstallPolicy;
import dev.ota.protocol.DirectorTarget.InstallWindow;
import java.util.List;
import java.util.Map;

/**
 * An order for one device: install {@code image}. {@code ecuId} is the ECU the device reports it under (its
 * primary ECU, named by the device id); {@code installWindows} the concrete UTC windows the director expanded for
 * this signing (none: install when ready) and {@code installPolicy} how busy is treated (device-api.md).
 */
public record Assignment(String deviceId, String ecuId, String hardwareId, ListedImage image, String actionId,
                         int attempt, List<InstallWindow> installWindows, InstallPolicy installPolicy) {
    public Assignment {
        installWindows = List.copyOf(installWindows);
    }

    /** An order by hand: no windows, busy respected. */
    public static Assignment whenReady(String deviceId, String ecuId, String hardwareId, ListedImage image,
                                       String actionId, int attempt) {
        return new Assignment(deviceId, ecuId, hardwareId, image, actionId, attempt, List.of(),
                InstallPolicy.RESPECT_BUSY);
    }

    /**
     * The target's {@code custom} as device-api.md fixes it, as the protocol's own record (the one devices read
     * it with), so what the director signs and what a device parses cannot drift apart.
     */
    public DirectorTarget custom() {
        return new DirectorTarget(Map.of(ecuId, hardwareId), image.hardwareIds(), image.releaseCounter().orElseThrow(),
                actionId, attempt, installWindows, installPolicy);
    }
}
