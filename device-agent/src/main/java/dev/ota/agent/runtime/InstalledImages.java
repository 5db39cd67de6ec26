package dev.ota.agent.runtime;

import dev.ota.agent.slots.BootStateStore;
import dev.ota.agent.slots.Slot;
import dev.ota.agent.slots.SlotStore;
import dev.ota.protocol.Checkin.Ecu;
import dev.ota.protocol.Checkin.InstalledImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the device runs, per ECU, as a check-in reports it: the committed slot's release (a slot on trial is not
 * reported as installed; fleet.md counts success only after a committed boot). This reference device has one
 * ECU, named after the device.
 */
final class InstalledImages {
    private final String deviceId;
    private final String hardwareId;
    private final Optional<Path> stateDir;
    private final Optional<Path> slotsDir;

    InstalledImages(String deviceId, String hardwareId, Optional<Path> stateDir, Optional<Path> slotsDir) {
        this.deviceId = deviceId;
        this.hardwareId = hardwareId;
        this.stateDir = stateDir;
        this.slotsDir = slotsDir;
    }

    Map<String, Ecu> ecus() {
        return Map.of(deviceId, new Ecu(hardwareId, installed(), ""));
    }

    /** The release counter of the committed image, the floor for every update (absent: none yet). */
    OptionalLong runningReleaseCounter() {
        return installed().map(InstalledImage::releaseCounter).orElse(OptionalLong.empty());
    }

    private Optional<InstalledImage> installed() {
        if (stateDir.isEmpty() || slotsDir.isEmpty()) return Optional.empty();
        Slot committed = new BootStateStore(stateDir.get()).read().committed();
        SlotStore slots = new SlotStore(slotsDir.get(), OptionalLong.empty());
        Optional<SlotStore.Release> release = slots.release(committed);
        if (release.isEmpty() || release.get().target() == null || release.get().target().isEmpty()) return Optional.empty();
        long length;
        try {
            length = Files.size(slots.dir(committed).resolve("image"));
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(new InstalledImage(release.get().target(), length, Map.of("sha256", release.get().sha256()),
                release.get().releaseCounter()));
    }
}
