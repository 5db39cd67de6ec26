package dev.ota.bench;

import dev.ota.tuf.crypto.KeyType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Wall time of whole client processes, one {@code refresh} each: the device agent's CLI
 * ({@code device-agent/bin/ota-agent-tuf}, a new JVM every time) against a Node script doing the same refresh with
 * tuf-js's {@code Updater} ({@code bench/node/tufjs-refresh-cli.js}, a new Node process every time). Both read the
 * same repository from one local HTTP server, and runs alternate between the clients (ours first on even runs,
 * tuf-js first on odd ones) so that both see the same background noise of a shared machine. Figures only; see
 * bench/README.md.
 * <p>
 * Each repository is measured twice: <em>cold</em>, a fresh metadata folder holding only the trusted root
 * (made by {@code ota-agent-tuf init} for ours and a file copy for tuf-js, neither timed), and <em>warm</em>, a
 * folder that already holds what the previous refresh stored, so that only {@code 2.root.json} (404) and
 * {@code timestamp.json} are fetched. Every run must exit 0 and leave both clients with byte-identical metadata
 * folders, or the benchmark stops: a failed refresh cannot pass as a fast one.
 * <p>
 * Options: {@code --runs N} (timed runs per client and variant, default 21), {@code --warmups N} (default 3),
 * {@code --quick} (3 runs after 1 warm-up, to check that it works), {@code --targets N} (default 1,000),
 * {@code --agent FILE}, {@code --node-modules DIR}, {@code --scripts DIR}, {@code --work DIR}, {@code --no-rss}.
 */
public final class AgentCliVsTufJs {
    /** One repository: key type of every role and the number of hash bins. */
    record Repo(String name, String label, KeyType keyType, int bitLength) {
    }

    enum Metadata {
        COLD("cold metadata: fresh folder with only root.json"),
        WARM("warm metadata: folder holds the previous refresh's files");

        final String label;

        Metadata(String label) {
            this.label = label;
        }
    }

    /** How to make a client's metadata folder trusted and how to run one refresh. */
    record Client(String name, List<String> refreshPrefix, Map<String, String> env, List<String> initPrefix) {
        List<String> refresh(String url, Path dir) {
            List<String> c = new ArrayList<>(refreshPrefix);
            c.addAll(List.of("--metadata-url", url, "--metadata-dir", dir.toString(), "refresh"));
            return c;
        }
    }

    /** The kept (non-warm-up) runs of one client in one variant. */
    static final class Samples {
        final List<Double> ms = new ArrayList<>();
        final List<Long> rssKiB = new ArrayList<>();
        final TreeSet<Long> requests = new TreeSet<>();

        double[] times() {
            return ms.stream().mapToDouble(Double::doubleValue).toArray();
        }

        OptionalLong medianRss() {
            if (rssKiB.isEmpty()) return OptionalLong.empty();
            return OptionalLong.of((long) Harness.median(rssKiB.stream().mapToDouble(Long::doubleValue).toArray()));
        }
    }

    record Result(Repo repo, Metadata metadata, Samples ours, Samples theirs, long fetchedBytes, String load) {
        double ratio() {
            return Harness.median(theirs.times()) / Harness.median(ours.times());
        }
    }

    private static final List<Repo> REPOS = List.of(
            new Repo("ed25519-16", "ed25519, 16 hash bins", KeyType.ED25519, 4),
            new Repo("ed25519-256", "ed25519, 256 hash bins", KeyType.ED25519, 8),
            new Repo("ecdsa-256", "ecdsa-sha2-nistp256, 256 hash bins", KeyType.ECDSA_P256, 8));

    private final ProcessTimer timer;
    private final StaticHttpServer server;
    private final Client ours;
    private final Client theirs;
    private final int warmups;
    private final int runs;

    private AgentCliVsTufJs(ProcessTimer timer, StaticHttpServer server, Client ours, Client theirs, int warmups, int runs) {
        this.timer = timer;
        this.server = server;
        this.ours = ours;
        this.theirs = theirs;
        this.warmups = warmups;
        this.runs = runs;
    }

    public static void main(String[] args) throws IOException {
        int runs = 21;
        int warmups = 3;
        int targets = 1_000;
        boolean rss = true;
        boolean quick = false;
        Path agent = Path.of("device-agent/bin/ota-agent-tuf");
        Path nodeModules = Path.of("interop/node/node_modules");
        Path scripts = Path.of("bench/node");
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmups" -> warmups = Integer.parseInt(args[++i]);
                case "--targets" -> targets = Integer.parseInt(args[++i]);
                case "--quick" -> quick = true;
                case "--no-rss" -> rss = false;
                case "--agent" -> agent = Path.of(args[++i]);
                case "--node-modules" -> nodeModules = Path.of(args[++i]);
                case "--scripts" -> scripts = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (quick) {
            runs = 3;
            warmups = 1;
        }
        if (runs < 1 || warmups < 0) throw new IllegalArgumentException("--runs must be >= 1 and --warmups >= 0");
        if (!Files.isExecutable(agent)) throw new IllegalStateException(agent + " is not executable");
        NodeProcess node = new NodeProcess(scripts, nodeModules);
        Path cliScript = scripts.toAbsolutePath().resolve("tufjs-refresh-cli.js");
        String agentPath = agent.toAbsolutePath().normalize().toString();
        Client ours = new Client("ours", List.of(agentPath), Map.of(), List.of(agentPath));
        // Scripts outside interop/node find its packages through NODE_PATH (CommonJS resolution).
        Client theirs = new Client("tuf-js", List.of("node", cliScript.toString()),
                Map.of("NODE_PATH", nodeModules.toAbsolutePath().toString()), List.of());

        boolean ownWork = work == null;
        Path workDir = ownWork ? Files.createTempDirectory("agent-bench-") : Files.createDirectories(work);
        try {
            Path scratch = Files.createDirectories(workDir.resolve("scratch"));
            ProcessTimer timer = new ProcessTimer(rss, scratch);
            out("ota-agent-tuf (one JVM per refresh) vs tuf-js (one Node process per refresh): same repository, one local");
            out("HTTP server (TCP_NODELAY), runs interleaved client by client; wall time of each whole process");
            out("Java %s (%s), Node %s, tuf-js %s, %d CPUs, %d target(s) per repository, %d runs after %d warm-up per client%s",
                    System.getProperty("java.version"), System.getProperty("java.vm.name"), node.nodeVersion(),
                    node.tufJsVersion(), Runtime.getRuntime().availableProcessors(), targets, runs, warmups,
                    quick ? "  [--quick: not for reporting]" : "");
            out("ours:   %s --metadata-url URL --metadata-dir D refresh", agentPath);
            out("tuf-js: node %s --metadata-url URL --metadata-dir D refresh", cliScript);
            out("peak RSS: %s", timer.measuresRss() ? "/usr/bin/time -f %M (wraps both clients alike)" : "not measured");

            Path repos = Files.createDirectories(workDir.resolve("repos"));
            Instant now = Instant.now();
            for (Repo r : REPOS) RefreshBench.build(repos.resolve(r.name()), targets, r.bitLength(), 1, now, r.keyType());
            List<Result> results = new ArrayList<>();
            try (StaticHttpServer server = new StaticHttpServer(repos)) {
                AgentCliVsTufJs bench = new AgentCliVsTufJs(timer, server, ours, theirs, warmups, runs);
                for (Repo r : REPOS) {
                    for (Metadata m : Metadata.values()) {
                        Result result = bench.measure(r, m, repos.resolve(r.name()).resolve("metadata/1.root.json"),
                                Files.createDirectories(workDir.resolve("clients").resolve(r.name() + "-" + m.name().toLowerCase(Locale.ROOT))));
                        print(result);
                        results.add(result);
                    }
                }
            }
            summary(results);
        } finally {
            if (ownWork) RefreshBench.delete(workDir);
        }
    }

    private Result measure(Repo repo, Metadata metadata, Path root, Path clients) {
        String url = server.url(repo.name() + "/metadata").toString();
        String loadBefore = loadAverage();
        Path oursWarm = clients.resolve("ours-warm");
        Path theirsWarm = clients.resolve("tufjs-warm");
        if (metadata == Metadata.WARM) {
            // The state a previous refresh left: one untimed refresh per client, checked like the timed ones.
            trust(ours, root, oursWarm);
            trust(theirs, root, theirsWarm);
            once(ours, url, oursWarm);
            once(theirs, url, theirsWarm);
        }
        Samples a = new Samples();
        Samples b = new Samples();
        Map<String, String> expected = null;
        long fetched = 0;
        for (int i = 0; i < warmups + runs; i++) {
            boolean keep = i >= warmups;
            for (int k = 0; k < 2; k++) {
                // Even runs: ours first; odd runs: tuf-js first, so neither always follows the other.
                boolean oursNow = (i % 2 == 0) == (k == 0);
                Client c = oursNow ? ours : theirs;
                Path dir;
                if (metadata == Metadata.COLD) {
                    dir = clients.resolve(c.name() + "-" + i);
                    trust(c, root, dir);
                } else {
                    dir = oursNow ? oursWarm : theirsWarm;
                }
                long before = server.requests();
                ProcessTimer.Run run = once(c, url, dir);
                long requests = server.requests() - before;
                Map<String, String> state = digests(dir);
                if (expected == null) {
                    expected = state;
                    fetched = fetchedBytes(dir);
                } else if (!expected.equals(state)) {
                    throw new IllegalStateException(c.name() + " run " + i + " left " + state + ", the first run left "
                            + expected + ": the clients do not end in the same trusted state");
                }
                if (metadata == Metadata.COLD) RefreshBench.delete(dir);
                if (keep) {
                    Samples s = oursNow ? a : b;
                    s.ms.add(run.millis());
                    run.peakRssKiB().ifPresent(s.rssKiB::add);
                    s.requests.add(requests);
                }
            }
        }
        return new Result(repo, metadata, a, b, fetched, loadBefore + " -> " + loadAverage());
    }

    /** A folder that trusts {@code root}: {@code init} for ours (as a device would), a plain copy for tuf-js. */
    private void trust(Client c, Path root, Path dir) {
        try {
            Files.createDirectories(dir);
            if (c.initPrefix().isEmpty()) {
                Files.copy(root, dir.resolve("root.json"));
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> init = new ArrayList<>(c.initPrefix());
        init.addAll(List.of("--metadata-dir", dir.toString(), "init", root.toString()));
        ProcessTimer.Run run = timer.run(init, c.env());
        if (run.exit() != 0) throw new IllegalStateException(c.name() + " init exited with " + run.exit() + ": " + run.stderr());
    }

    private ProcessTimer.Run once(Client c, String url, Path dir) {
        ProcessTimer.Run run = timer.run(c.refresh(url, dir), c.env());
        if (run.exit() != 0) {
            throw new IllegalStateException(c.name() + " refresh exited with " + run.exit() + ": " + run.stderr());
        }
        for (String f : List.of("root.json", "timestamp.json", "snapshot.json", "targets.json")) {
            if (!Files.isRegularFile(dir.resolve(f))) throw new IllegalStateException(c.name() + " did not store " + f);
        }
        return run;
    }

    /** SHA-256 of every {@code *.json} in the folder, by name: the trusted state a refresh left. */
    private static Map<String, String> digests(Path dir) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".json")) out.put(name, HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f))).substring(0, 16));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static long fetchedBytes(Path dir) {
        long total = 0;
        try {
            for (String f : List.of("timestamp.json", "snapshot.json", "targets.json")) total += Files.size(dir.resolve(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void print(Result r) {
        out("");
        out("%s, %s  (timestamp+snapshot+targets: %,d bytes; load average %s)", r.repo().label(), r.metadata().label,
                r.fetchedBytes(), r.load());
        out("   %-26s %22s %22s", "", "ours (ota-agent-tuf)", "tuf-js");
        out("   %-26s %22s %22s", "min / median / max ms", stats(r.ours().times()), stats(r.theirs().times()));
        out("   %-26s %22s %22s", "peak RSS, median MiB", mib(r.ours().medianRss()), mib(r.theirs().medianRss()));
        out("   %-26s %22s %22s", "HTTP requests per run", counts(r.ours().requests), counts(r.theirs().requests));
        out("   tuf-js / ours (medians) = %.2f  (goal >= 1.00: %s)", r.ratio(), r.ratio() >= 1.0 ? "met" : "NOT met");
    }

    private static void summary(List<Result> results) {
        out("");
        out("Summary (median ms of whole processes; ratio >= 1.00 means ours is no slower than tuf-js)");
        out("   %-38s %-6s %10s %10s %14s", "repository", "state", "ours", "tuf-js", "tuf-js / ours");
        for (Result r : results) {
            out("   %-38s %-6s %10.0f %10.0f %14.2f", r.repo().label(), r.metadata().name().toLowerCase(Locale.ROOT),
                    Harness.median(r.ours().times()), Harness.median(r.theirs().times()), r.ratio());
        }
    }

    private static String stats(double[] ms) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", Harness.min(ms), Harness.median(ms), Harness.max(ms));
    }

    private static String mib(OptionalLong kib) {
        return kib.isPresent() ? String.format(Locale.ROOT, "%.1f", kib.getAsLong() / 1024.0) : "-";
    }

    private static String counts(TreeSet<Long> requests) {
        return requests.size() == 1 ? String.valueOf(requests.first()) : requests.first() + " .. " + requests.last();
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
