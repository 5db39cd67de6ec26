package dev.ota.it;

import dev.ota.agent.device.RunConfig;
import dev.ota.agent.runtime.DeviceRunner;
import dev.ota.agent.slots.BootState;
import dev.ota.agent.slots.BootStateStore;
import dev.ota.agent.slots.Slot;
import dev.ota.agent.slots.SlotStore;
import dev.ota.protocol.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A device run by the reference agent library ({@code ota-agent run}'s DeviceRunner, A/B slots, both shipped roots)
 * against a real server, in that server's virtual time. Its health check passes for images containing
 * {@code HEALTHY}; its veto provider is the file {@code veto} read by {@code cat}, so a test changes what the device
 * answers (idle, busy, critical) between cycles, or breaks the provider by deleting the file.
 */
final class ItAgent {
    private final String id;
    private final Path dir;
    private DeviceRunner runner;

    private ItAgent(String id, Path dir, DeviceRunner runner) {
        this.id = id;
        this.dir = dir;
        this.runner = runner;
    }

    String id() {
        return id;
    }

    DeviceRunner runner() {
        return runner;
    }

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

    /**
     * The same device (key, journals, slots) talking to the server at {@code base} from now on, as after a restart
     * of the agent with a new server address.
     */
    void serveFrom(String base, ServerClock clock, PrintStream log) throws IOException {
        reconfigure(Map.of("server.url", base, "director.url", base, "image.url", base), clock, log);
    }

    /**
     * The agent restarted with {@code settings} changed in (or added to) its configuration file, e.g. its director
     * or image repository reached through a man in the middle; key, journals and slots are the device's own still.
     */
    void reconfigure(Map<String, String> settings, ServerClock clock, PrintStream log) throws IOException {
        Path config = dir.resolve("agent.properties");
        Map<String, String> left = new LinkedHashMap<>(settings);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')) : "";
            String value = left.remove(key);
            lines.add(value == null ? line : key + "=" + value);
        }
        left.forEach((key, value) -> lines.add(key + "=" + value));
        Files.write(config, lines, StandardCharsets.UTF_8);
        restart(clock, log);
    }

    /**
     * A new agent process over the same folder, as after the old one died (a power cut, a crash, a reboot): it knows
     * only what its journals, slots and key on disk say, and powers on before its first check-in.
     */
    void restart(ServerClock clock, PrintStream log) {
        runner = runner(dir, clock, log);
    }

    /** The device's folder (its data, state and slots). */
    Path dir() {
        return dir;
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

    /** Every report the device ever put in its write-ahead journal, acknowledged or not, in journal order. */
    List<Report> journalReports() {
        Path file = dir.resolve("data").resolve("device-journal");
        List<Report> out = new ArrayList<>();
        try {
            if (!Files.exists(file)) {
                return out;
            }
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                // DeviceJournal's line format: REPORT <actionId> <seq> <state> <at> <detail> .
                if (!line.startsWith("REPORT ") || !line.endsWith(" .")) {
                    continue;
                }
                String[] f = line.substring(0, line.length() - 2).split(" ");
                out.add(new Report(decode(f[1]), Long.parseLong(f[2]), Report.State.valueOf(f[3]),
                        java.time.Instant.parse(f[4]), f.length > 5 ? decode(f[5]) : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String decode(String s) {
        return s.equals("~") ? "" : URLDecoder.decode(s, StandardCharsets.UTF_8);
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
