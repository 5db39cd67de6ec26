package dev.ota.bench;

import dev.ota.tuf.client.HttpFetcher;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Prints, in one run, tuf-core and tuf-js side by side: signature verifications per second per key type, and
 * the time of a refresh plus 1,000 look-ups in a repository of 10,000 targets in 256 succinct hash bins, both
 * clients reading the same files from the same local HTTP server. Figures only; see bench/README.md.
 * <p>
 * Options: {@code --quick} (short rounds, for checking that it runs), {@code --node-modules DIR},
 * {@code --scripts DIR}, {@code --work DIR} (where both clients' metadata folders go; default a temp folder).
 */
public final class TufCoreVsTufJs {
    private static final int MESSAGES = 64;
    private static final int MESSAGE_BYTES = 1024;
    private static final int TARGETS = 10_000;
    private static final int BIT_LENGTH = 8;
    private static final int LOOKUPS = 1_000;

    private TufCoreVsTufJs() {
    }

    public static void main(String[] args) throws IOException {
        boolean quick = false;
        Path nodeModules = Path.of("interop/node/node_modules");
        Path scripts = Path.of("bench/node");
        Path work = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--node-modules" -> nodeModules = Path.of(args[++i]);
                case "--scripts" -> scripts = Path.of(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long warmupMillis = quick ? 300 : 3_000;
        long roundMillis = quick ? 200 : 1_000;
        int rounds = quick ? 3 : 5;
        int refreshWarmups = quick ? 1 : 5;
        int refreshIterations = quick ? 3 : 9;

        NodeProcess node = new NodeProcess(scripts, nodeModules);
        boolean ownWork = work == null;
        Path workDir = ownWork ? Files.createTempDirectory("tuf-bench-") : Files.createDirectories(work);
        try {
            out("tuf-core vs tuf-js: one run, same machine, same keys and signatures, same files from one local HTTP server");
            out("Java %s (%s), Node %s, tuf-js %s, %d CPUs, metadata folders under %s%s",
                    System.getProperty("java.version"), System.getProperty("java.vm.name"), node.nodeVersion(),
                    node.tufJsVersion(), Runtime.getRuntime().availableProcessors(), workDir, quick ? "  [--quick: not for reporting]" : "");
            signatures(node, warmupMillis, roundMillis, rounds);
            refresh(node, workDir, refreshWarmups, refreshIterations);
        } finally {
            if (ownWork) RefreshBench.delete(workDir);
        }
    }

    private static void signatures(NodeProcess node, long warmupMillis, long roundMillis, int rounds) {
        Random random = new Random(20240601);
        List<SignatureBench.Case> cases = List.of(
                SignatureBench.prepare("ed25519", KeyType.ED25519, MESSAGES, MESSAGE_BYTES, random),
                SignatureBench.prepare("ecdsa-p256", KeyType.ECDSA_P256, MESSAGES, MESSAGE_BYTES, random),
                SignatureBench.prepare("rsa-pss-3072", KeyType.RSA_PSS, MESSAGES, MESSAGE_BYTES, random));
        List<double[]> ours = new ArrayList<>();
        for (SignatureBench.Case c : cases) ours.add(SignatureBench.tufCore(c, warmupMillis, roundMillis, rounds));
        JsonObject input = JsonValue.obj(
                "cases", JsonValue.arr(cases.stream().map(SignatureBench.Case::toJson).toList()),
                "warmupMs", JsonValue.of(warmupMillis), "roundMs", JsonValue.of(roundMillis), "rounds", JsonValue.of(rounds));
        JsonObject theirs = (JsonObject) Json.parse(node.run("verify-bench.js", jsonText(input)),
                "verify-bench.js output");

        out("");
        out("1. Signature verifications per second (%d signed messages of %d bytes per key; median of %d rounds of %d ms after %d ms warm-up)",
                MESSAGES, MESSAGE_BYTES, rounds, roundMillis, warmupMillis);
        out("   %-14s %18s %22s %18s", "key type", "tuf-core Verifier", "Node crypto.verify", "tuf-core / Node");
        for (int i = 0; i < cases.size(); i++) {
            String label = cases.get(i).label();
            double a = Harness.median(ours.get(i));
            double b = Harness.median(numbers(theirs.get(label)));
            out("   %-14s %18s %22s %18.2f", label, String.format(Locale.ROOT, "%,.0f", a),
                    String.format(Locale.ROOT, "%,.0f", b), a / b);
        }
    }

    private static void refresh(NodeProcess node, Path workDir, int warmups, int iterations) throws IOException {
        RefreshBench.Repository repo = RefreshBench.build(workDir.resolve("repository"), TARGETS, BIT_LENGTH, LOOKUPS,
                Instant.now());
        Path clients = Files.createDirectories(workDir.resolve("clients"));
        double[] ours;
        double[] theirs;
        long oursRequests;
        long theirsRequests;
        try (StaticHttpServer server = new StaticHttpServer(repo.metadataDir().getParent())) {
            HttpFetcher fetcher = new HttpFetcher(Duration.ofSeconds(10), Duration.ofSeconds(60));
            long before = server.requests();
            ours = Harness.times(RefreshBench.tufCoreIteration(server.url("metadata"), repo, clients, fetcher),
                    warmups, iterations);
            oursRequests = (server.requests() - before) / (warmups + iterations);

            JsonObject input = JsonValue.obj(
                    "metadataBaseUrl", JsonValue.of(server.url("metadata").toString()),
                    "rootFile", JsonValue.of(repo.root().toAbsolutePath().toString()),
                    "workDir", JsonValue.of(clients.toAbsolutePath().toString()),
                    "paths", JsonValue.arr(repo.lookups().stream().map(JsonValue::of).toList()),
                    "warmups", JsonValue.of(warmups), "iterations", JsonValue.of(iterations));
            before = server.requests();
            JsonObject result = (JsonObject) Json.parse(node.run("refresh-bench.js", jsonText(input)),
                    "refresh-bench.js output");
            theirsRequests = (server.requests() - before) / (warmups + iterations);
            theirs = numbers(result.get("timesMs"));
        }

        out("");
        out("2. Refresh from root v1 + look-up of %,d targets (%,d targets in %d succinct hash bins, %,d KiB of metadata;",
                LOOKUPS, TARGETS, repo.binCount(), repo.metadataBytes() / 1024);
        out("   fresh metadata folder per iteration, median of %d iterations after %d warm-up; no target downloads)",
                iterations, warmups);
        out("   %-24s %14s %14s", "", "tuf-core", "tuf-js");
        out("   %-24s %14.1f %14.1f", "median ms", Harness.median(ours), Harness.median(theirs));
        out("   %-24s %14s %14s", "min .. max ms", range(ours), range(theirs));
        out("   %-24s %14d %14d", "HTTP requests per run", oursRequests, theirsRequests);
        out("   tuf-js time / tuf-core time = %.2f  (goal: >= 1.00, tuf-core no slower than tuf-js)",
                Harness.median(theirs) / Harness.median(ours));
    }

    /** JSON for Node: canonical JSON leaves the newlines of PEM keys raw, which JSON.parse refuses. */
    private static byte[] jsonText(JsonValue value) {
        return CanonicalJson.toParsableJson(CanonicalJson.encode(value));
    }

    private static String range(double[] ms) {
        return String.format(Locale.ROOT, "%.0f .. %.0f", Harness.min(ms), Harness.max(ms));
    }

    private static double[] numbers(JsonValue array) {
        List<JsonValue> elements = ((JsonArray) array).elements();
        double[] out = new double[elements.size()];
        for (int i = 0; i < out.length; i++) {
            // Fractions come as strings: tuf-core's JSON parser refuses floats on purpose (metadata has none).
            out[i] = Double.parseDouble(((JsonString) elements.get(i)).value());
        }
        return out;
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

}
