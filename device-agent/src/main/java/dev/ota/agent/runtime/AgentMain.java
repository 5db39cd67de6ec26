package dev.ota.agent.runtime;

import dev.ota.agent.device.AgentConfig;
import dev.ota.agent.device.DeviceProperties;
import dev.ota.agent.device.RunConfig;
import dev.ota.agent.fleet.Sleeper;
import dev.ota.agent.gateway.Gateway;
import dev.ota.agent.gateway.GatewayConfig;
import dev.ota.agent.install.CrashPoints;
import dev.ota.agent.install.HealthCheck;
import dev.ota.agent.install.Installer;
import dev.ota.agent.install.Journal;
import dev.ota.agent.install.StatusReports;
import dev.ota.agent.slots.BootStateStore;
import dev.ota.agent.slots.SlotStore;
import dev.ota.tuf.client.UrlConnectionFetcher;
import dev.ota.tuf.client.MetadataStore;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code ota-agent}: the device runtime.
 * <pre>
 * ota-agent --config FILE update TARGET [--allow-downgrade]   install TARGET (A/B, health check, commit or fall back)
 * ota-agent --config FILE power-on                            boot loader + resume or roll back an interrupted install
 * ota-agent --config FILE status                              boot selection, versions per slot, last reports
 * ota-agent --config FILE run [--cycles N]                    the device process: enroll, check in, back up config
 * ota-agent --config FILE gateway [--cycles N]                the gateway (mirror for the devices behind it); with device
 *                                                            keys in FILE also the gateway's own device process
 * </pre>
 * Exit status 0 when the device ends on the requested state (committed, or nothing to do), 2 when it ended on
 * its previous version (refused, failed, rolled back), 1 on a usage or configuration error. {@code run} reads
 * {@link RunConfig}'s keys, runs until stopped (or {@code N} cycles) and exits 0.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(List.of(args), System.out, System.err, Clock.systemUTC());
        } catch (Throwable t) {
            System.err.println("ota-agent: " + t);
            status = 1;
        }
        System.exit(status);
    }

    /** Runs one command as the {@code ota-agent} script would, for embedding and tests; returns the exit status. */
    public static int run(List<String> args, PrintStream out, PrintStream err, Clock clock) {
        if (args.size() < 3 || !args.get(0).equals("--config")) {
            err.println("usage: ota-agent --config FILE (update TARGET [--allow-downgrade] | power-on | status | run [--cycles N]"
                    + " | gateway [--cycles N])");
            return 1;
        }
        String command = args.get(2);
        if (command.equals("run")) return runDevice(args, err, clock);
        if (command.equals("gateway")) return runGateway(args, err, clock);
        AgentConfig config = installConfig(Path.of(args.get(1)));
        Installer installer = installer(config, clock);
        switch (command) {
            case "update" -> {
                if (args.size() < 4) {
                    err.println("update needs a target path");
                    return 1;
                }
                boolean downgrade = args.contains("--allow-downgrade");
                return print(installer.update(args.get(3), downgrade), out);
            }
            case "power-on" -> {
                return print(installer.powerOn(), out);
            }
            case "status" -> {
                BootStateStore boot = new BootStateStore(config.stateDir());
                SlotStore slots = new SlotStore(config.slotsDir(), config.slotCapacity());
                out.println("boot: " + boot.read());
                for (var s : dev.ota.agent.slots.Slot.values()) out.println("slot " + s + ": " + slots.release(s).orElse(null));
                new StatusReports(config.stateDir(), config.deviceId(), clock).lines().forEach(out::println);
                return 0;
            }
            default -> {
                err.println("unknown command " + command);
                return 1;
            }
        }
    }

    /** {@code --cycles N}: N; absent: 0 (until stopped); -1 when malformed (reported on {@code err}). */
    private static long cycles(List<String> args, PrintStream err) {
        int at = args.indexOf("--cycles");
        if (at < 0) return 0;
        if (at + 1 >= args.size() || !args.get(at + 1).matches("[1-9]\\d{0,8}")) {
            err.println("--cycles needs a positive number");
            return -1;
        }
        return Long.parseLong(args.get(at + 1));
    }

    /**
     * The gateway: serves the devices behind it until stopped. When the file also describes a device ({@code device.id}),
     * the gateway runs its own agent too (its own enrollment, assignment and A/B install); pointing that agent's
     * {@code director.url} and {@code image.url} at the gateway's own port makes its images go through the same cache,
     * where they are kept while ordered, like every device's.
     */
    private static int runGateway(List<String> args, PrintStream err, Clock clock) {
        long cycles = cycles(args, err);
        if (cycles < 0) return 1;
        Path file = Path.of(args.get(1));
        GatewayConfig config = GatewayConfig.load(file);
        try (Gateway gateway = Gateway.start(config, clock, err)) {
            if (hasDevice(file)) {
                DeviceRunner.of(RunConfig.load(file), clock, Sleeper.system(), err).run(cycles);
            } else {
                new java.util.concurrent.CountDownLatch(1).await();
            }
        } catch (IOException e) {
            err.println("ota-agent: the gateway cannot start: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static boolean hasDevice(Path file) {
        return !properties(file).getProperty("device.id", "").isBlank();
    }

    /**
     * The install keys {@code file} describes: an install configuration ({@link AgentConfig}), or the run configuration
     * of a device that follows its director, whose {@code state.dir}, {@code slots.dir} and {@code image.root} are the
     * same A/B install. So {@code status} (or {@code power-on}) reads the device that {@code run} drives without a
     * second file repeating its paths.
     */
    static AgentConfig installConfig(Path file) {
        java.util.Properties p = properties(file);
        if (p.getProperty("repository.metadata-url", "").isBlank() && !p.getProperty("director.root", "").isBlank()) {
            return RunConfig.load(file).updates().orElseThrow().install();
        }
        return AgentConfig.load(file);
    }

    private static java.util.Properties properties(Path file) {
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static int runDevice(List<String> args, PrintStream err, Clock clock) {
        long cycles = cycles(args, err);
        if (cycles < 0) return 1;
        DeviceRunner runner = DeviceRunner.of(RunConfig.load(Path.of(args.get(1))), clock, Sleeper.system(), err);
        try {
            runner.run(cycles);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int print(Installer.Outcome o, PrintStream out) {
        out.println(o.step() + " slot=" + o.running() + " version=" + o.version() + (o.reason() == null ? "" : " reason=" + o.reason()));
        return switch (o.step()) {
            case COMMITTED, TRIAL -> 0;
            default -> 2;
        };
    }

    /**
     * A new image repository client per call, on the device's trusted image metadata; an interrupted image download
     * is resumed where it stopped (fleet.md), its kept bytes verified with the rest before anything uses them.
     */
    static java.util.function.Supplier<Updater> imageUpdaters(AgentConfig config, Clock clock) {
        return () -> new Updater(config.metadataUrl(), config.metadataDir(),
                new UrlConnectionFetcher(Duration.ofSeconds(10), config.downloadTimeout()), clock,
                UpdaterConfig.defaults().withResumeDownloads(true));
    }

    static Installer installer(AgentConfig config, Clock clock) {
        try {
            Files.createDirectories(config.metadataDir());
            Path root = config.metadataDir().resolve("root.json");
            if (!Files.exists(root)) MetadataStore.writeAtomically(root, Files.readAllBytes(config.trustedRoot()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot provision trusted root: " + e.getMessage(), e);
        }
        new DeviceProperties(config.stateDir()).ensure(config.deviceId());
        Optional<Runnable> reboot = config.rebootCommand().map(cmd -> () -> {
            try {
                new ProcessBuilder("sh", "-c", cmd).inheritIO().start();
            } catch (IOException e) {
                throw new UncheckedIOException("reboot command failed: " + e.getMessage(), e);
            }
        });
        return new Installer(imageUpdaters(config, clock), config.targetsUrl(), config.hardwareId(), config.stateDir(),
                new SlotStore(config.slotsDir(), config.slotCapacity()),
                new Journal(config.stateDir(), CrashPoints.fromEnvironment()),
                new HealthCheck(config.healthCommand(), config.healthTimeout()),
                new StatusReports(config.stateDir(), config.deviceId(), clock),
                config.maxTrialBoots(), reboot);
    }
}
