package dev.ota.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Liberty server of {@link ClusterIT}, driven through {@code wlp/bin/server} as an operator
 * would: its own server directory made by {@code server create} from the project's server.xml and
 * jvm.options, the EAR in {@code dropins}, the JDBC drivers in {@code jdbc}, and its own ports.
 * Runs in the foreground ({@code server run}) as a child of the test, so a dying test can still
 * end it; {@link #stop()} asks Liberty to stop first, then waits, then kills.
 */
final class ClusterServer {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    final String name;
    final int httpPort;
    final Http http;
    private final Path wlp;
    private final Path serverDir;
    private final Map<String, String> environment;
    private Process process;

    private ClusterServer(Path wlp, String name, int httpPort, Map<String, String> environment) {
        this.wlp = wlp;
        this.name = name;
        this.httpPort = httpPort;
        this.http = new Http(httpPort);
        this.serverDir = wlp.resolve("usr/servers").resolve(name);
        this.environment = new HashMap<>(environment);
    }

    /**
     * A fresh server directory (any earlier one is deleted). {@code environment} holds the server's
     * OTA_* settings; its HTTP and HTTPS ports are added here.
     */
    static ClusterServer create(Path wlp, String name, int httpPort, int httpsPort, Path configDir, Path jdbcDir,
                                Path ear, Map<String, String> environment) throws IOException, InterruptedException {
        ClusterServer server = new ClusterServer(wlp, name, httpPort, environment);
        server.environment.put("OTA_HTTP_PORT", Integer.toString(httpPort));
        server.environment.put("OTA_HTTPS_PORT", Integer.toString(httpsPort));
        deleteRecursively(server.serverDir);
        // server create writes server.env with a random keystore_password for Liberty's TLS key.
        Process create = server.command("create").redirectErrorStream(true)
                .redirectOutput(wlp.resolve("usr/servers").resolve(name + "-create.log").toFile()).start();
        if (!create.waitFor(120, TimeUnit.SECONDS) || create.exitValue() != 0) {
            create.destroyForcibly();
            throw new IllegalStateException("server create " + name + " failed; see "
                    + wlp.resolve("usr/servers").resolve(name + "-create.log"));
        }
        Files.copy(configDir.resolve("server.xml"), server.serverDir.resolve("server.xml"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(configDir.resolve("jvm.options"), server.serverDir.resolve("jvm.options"),
                StandardCopyOption.REPLACE_EXISTING);
        Path jdbc = Files.createDirectories(server.serverDir.resolve("jdbc"));
        try (Stream<Path> jars = Files.list(jdbcDir)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, jdbc.resolve(jar.getFileName()));
            }
        }
        Files.copy(ear, Files.createDirectories(server.serverDir.resolve("dropins")).resolve("ota.ear"));
        return server;
    }

    /**
     * A server {@code name} of the it-crash execution, on {@code httpPort} and {@code httpsPort} and the data
     * directory {@code dataDir}, not started; {@code environment} adds to the settings every such server has.
     */
    static ClusterServer inCrashExecution(String name, int httpPort, int httpsPort, Path dataDir,
                                          Map<String, String> environment) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(environment);
        env.put("OTA_DATA_DIR", dataDir.toString());
        env.put("OTA_HASH_BINS", "16");
        return create(Path.of(System.getProperty("wlp.home")), name, httpPort, httpsPort,
                Path.of(System.getProperty("ota.liberty.config.dir")), Path.of(System.getProperty("ota.it.jdbc.dir")),
                Path.of(System.getProperty("ota.ear.file")), env);
    }

    /**
     * Runs this server's JVM with the C1 compiler only, for a test that starts servers again and again, or two at
     * once, but makes few accounts: on the 2-core CI machine a start then took about half the CPU time (27 s instead
     * of 53 s), since C2 compiled startup code that runs a few times, while each PBKDF2 password hash took 1.4 s
     * instead of 0.3 s (its SHA-256 intrinsic is C2's). Not for a test whose outcome depends on the server's speed:
     * FleetUnderLoadIT's 24 check-ins through a gate of one were all let through with C1 only. Production keeps
     * the project's jvm.options.
     */
    ClusterServer withC1CompilerOnly() throws IOException {
        Path options = serverDir.resolve("jvm.options");
        String current = Files.readString(options);
        Files.writeString(options, current + (current.isEmpty() || current.endsWith("\n") ? "" : "\n")
                + "-XX:TieredStopAtLevel=1\n");
        return this;
    }

    /** Starts the server process; returns at once (see {@link #awaitReady}). */
    void start(Map<String, String> overrides) throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ProcessBuilder run = command("run");
        run.environment().putAll(overrides);
        run.redirectErrorStream(true);
        Files.createDirectories(logs());
        run.redirectOutput(ProcessBuilder.Redirect.appendTo(logs().resolve("console-run.log").toFile()));
        process = run.start();
    }

    void start() throws IOException {
        start(Map.of());
    }

    /**
     * Waits until the application serves timestamp.json, which it does only after installation
     * (schema, repository, first administrator) finished. Fails early if the process ended.
     */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException(name + " exited while starting; " + logHint());
            }
            String messages = messages();
            // CWWKZ0106E / CWWKZ0002E: the application failed to start (an installation step threw).
            if (messages.contains("CWWKZ0106E") || messages.contains("CWWKZ0002E")) {
                throw new IllegalStateException(name + " could not start the application; " + logHint());
            }
            try {
                HttpResponse<byte[]> r = http.get("/metadata/timestamp.json");
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IllegalStateException notListeningYet) {
                // connection refused until the HTTP endpoint is up
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not serve timestamp.json within " + timeout + "; " + logHint());
    }

    /** Stops the server (Liberty's orderly stop, then a kill if it hangs); no-op when not running. */
    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process stop = command("stop").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs().resolve("console-stop.log").toFile()))
                    .start();
            stop.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Stops {@code server} if a test started one, and takes back the shutdown hook that would have killed it. */
    static void stop(ClusterServer server, Thread killOnExit) {
        if (server == null) {
            return;
        }
        server.stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException | IllegalArgumentException alreadyExitingOrNeverAdded) {
            // nothing left to undo
        }
    }

    /** Waits for the server process to end by itself (a halt); its exit status, or fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (process == null || !process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still runs after " + timeout + "; " + logHint());
        }
        return process.exitValue();
    }

    /** For a shutdown hook: no Liberty command, just end the process tree. */
    void kill() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    Path logs() {
        return serverDir.resolve("logs");
    }

    String messages() {
        try {
            Path log = logs().resolve("messages.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logHint() {
        return "server logs: " + logs();
    }

    private ProcessBuilder command(String action) {
        List<String> cmd = new ArrayList<>(List.of(wlp.resolve("bin/server").toString(), action, name));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // Only this server's settings: the failsafe JVM carries the other ITs' OTA_* variables.
        pb.environment().keySet().removeIf(k -> k.startsWith("OTA_"));
        pb.environment().putAll(environment);
        return pb;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
