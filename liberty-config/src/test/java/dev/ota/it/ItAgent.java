package dev.ota.it;

import dev.ota.agent.device.RunConfig;
import dev.ota.agent.runtime.DeviceRunner;
import dev.ota.agent.slots.BootState;
import dev.ota.agent.slots.BootStateStore;
import dev.ota.agent.slots.Slot;
import dev.ota.agent.slots.SlotStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A device run by the reference agent library ({@code ota-agent run}'s DeviceRunner, A/B slots, both shipped roots)
 * against a real server, in that server's virtual time. Its health check passes for images containing
 * {@code HEALTHY}; its veto provider is the file {@code veto} read by {@code cat}, so a test changes what the device
 * answers (idle, busy, critical) between cycles, or breaks the provider by deleting the file.
 */
record ItAgent(String id, Path dir, DeviceRunner runner) {

    /**
     * Provisions, configures and builds the agent of {@code deviceId} for {@code hardware} on the server {@code http}
     * talks to (base URL {@code base}); nothing is sent before its first cycle.
     */
    static ItAgent provision(Http http, String base, String[] admin, String hardware, String deviceId, ServerClock clock,
                             PrintStream log) throws Exception {
        ProvisionedDevice provisioned = ProvisionedDevice.provision(http, admin, hardware, "it-agent-");
        Path dir = provisioned.dir();
        Files.writeString(dir.resolve("veto"), "idle\n");
        Files.writeString(dir.resolve("agent.properties"), String.join("\n",
                "server.url=" + base, "device.id=" + deviceId, "hardware.id=" + hardware,
                "enrollment.token=" + provisioned.enrollmentToken(), "state.command=cat " + dir.resolve("veto"),
                "properties.file=device.properties", "data.dir=data", "state.dir=state", "slots.dir=slots",
                "director.root=director-root.json", "director.url=" + base, "image.root=image-root.json",
                "image.url=" + base, "health.command=grep -q HEALTHY image", "health.timeout-seconds=10",
                "boot.max-trial-boots=2", ""));
        return new ItAgent(deviceId, dir, runner(dir, clock, log));
    }

    /** The cycles run back to back: the waits are not slept (the server's interval is minutes). */
    private static DeviceRunner runner(Path dir, ServerClock clock, PrintStream log) {
        return DeviceRunner.of(RunConfig.load(dir.resolve("agent.properties")), clock.following(), w -> { }, log);
    }

    /** What the device's veto provider answers from now on: idle, busy or critical. */
    void veto(String state) {
        try {
            Files.writeString(dir.resolve("veto"), state + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Breaks the device's veto provider (its command fails from now on), which must count as critical. */
    void breakVeto() {
        try {
            Files.delete(dir.resolve("veto"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The release in the committed slot, as the device itself holds it (empty: the factory image). */
    Optional<SlotStore.Release> committed() {
        return release(boot().committed());
    }

    /** The release in the slot on trial, when one is. */
    Optional<SlotStore.Release> onTrial() {
        return boot().trial().flatMap(this::release);
    }

    /** The length of the image in the slot holding {@code release}'s target. */
    long imageLength(SlotStore.Release release) {
        SlotStore slots = slots();
        for (Slot s : Slot.values()) {
            Optional<SlotStore.Release> r = slots.release(s);
            if (r.isPresent() && r.get().equals(release)) {
                try {
                    return Files.size(slots.dir(s).resolve("image"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException(id + " holds no slot with " + release);
    }

    private BootState boot() {
        return new BootStateStore(dir.resolve("state")).read();
    }

    private Optional<SlotStore.Release> release(Slot slot) {
        return slots().release(slot).filter(r -> r.target() != null && !r.target().isEmpty());
    }

    private SlotStore slots() {
        return new SlotStore(dir.resolve("slots"), OptionalLong.empty());
    }
}
