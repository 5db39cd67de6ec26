package dev.ota.agent.sim;

import dev.ota.agent.fleet.Answer;
import dev.ota.agent.fleet.DeviceIdentity;
import dev.ota.agent.fleet.DeviceJournal;
import dev.ota.agent.fleet.DeviceSession;
import dev.ota.agent.fleet.DeviceTransport;
import dev.ota.agent.fleet.HttpClientTransport;
import dev.ota.protocol.Checkin.DeviceState;
import dev.ota.protocol.Checkin.Ecu;
import dev.ota.protocol.EnrollmentResponse;
import dev.ota.protocol.Report;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * N simulated devices in one JVM, each with its own key and write-ahead journal (in its own folder) from the real
 * agent library ({@link DeviceSession}), over one shared asynchronous HTTP client, so thousands fit on a few
 * threads. It enrolls every device with one token, then runs rounds in which every device checks in once (each
 * device has at most one request in flight; at most {@code concurrency} requests are in flight overall), and
 * measures each request's latency. It prints figures and decides nothing: tests and bench/ judge them.
 * <pre>
 * java -cp ... dev.ota.agent.sim.FleetSimulator --server http://127.0.0.1:9080 --token T --hardware lock-v2 \
 *      --devices 10000 --rounds 3 --concurrency 256 --dir /tmp/fleet [--prefix sim-]
 * </pre>
 * {@code --concurrency 16,64,256} runs the rounds once per level, in that order (bench/checkins-vs-pgbench.sh);
 * {@code --rate 333 --duration 60} then runs one open-loop round: check-ins start at that rate for that many seconds
 * whatever the answers take, latency counted from each one's due time ({@link #openLoop}; at most
 * {@code --max-in-flight}, default 4096, at once); {@code --warmup 10} runs one of that many seconds before it, printed
 * as the warm-up.
 * {@code --rounds 0} only enrolls. Devices already accepted in {@code --dir} are not enrolled again.
 * {@code --tokens FILE} writes, after the rounds, one line {@code deviceId token} per device that holds a check-in
 * token (bench/director-vs-nginx.sh fetches director metadata with them).
 * {@code --succeeded FILE} (lines {@code deviceId actionId}): before the rounds, each listed device adds a SUCCEEDED
 * report of that action to its journal, so its next check-in carries it (bench/rollout-scale.sh, which reads the
 * action ids of a rollout's orders from the database instead of the devices' director metadata); with
 * {@code --only-listed true} the rounds check in only the listed devices.
 */
public final class FleetSimulator {
    private final DeviceTransport transport;
    private final Path root;
    private final String prefix;
    private final String hardwareId;
    private final int concurrency;
    private final Clock clock;
    private final List<DeviceSession> devices = new ArrayList<>();

    public FleetSimulator(DeviceTransport transport, Path root, String prefix, String hardwareId, int devices, int concurrency, Clock clock) {
        this.transport = transport;
        this.root = root;
        this.prefix = prefix;
        this.hardwareId = hardwareId;
        this.concurrency = concurrency;
        this.clock = clock;
        for (int i = 0; i < devices; i++) {
            String id = String.format("%s%06d", prefix, i);
            Path dir = root.resolve(id);
            this.devices.add(new DeviceSession(DeviceIdentity.loadOrCreate(dir, id, hardwareId), DeviceJournal.open(dir), transport, clock,
                    "fleet-simulator"));
        }
    }

    public List<DeviceSession> devices() {
        return List.copyOf(devices);
    }

    /** What one phase (enrollment or a round of check-ins) gave: answers by kind, and latencies in microseconds. */
    public record Phase(String name, int requests, Map<String, Long> outcomes, long[] latencyMicros, Duration wall) {
        public long ok() {
            return outcomes.getOrDefault("ok", 0L);
        }

        public long percentileMicros(double p) {
            if (latencyMicros.length == 0) return 0;
            long[] sorted = latencyMicros.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1)];
        }

        public double perSecond() {
            return requests / Math.max(1e-9, wall.toNanos() / 1e9);
        }

        @Override
        public String toString() {
            return String.format("%s: %d requests in %.2f s (%.0f/s), p50 %.1f ms, p99 %.1f ms, %s", name, requests, wall.toNanos() / 1e9,
                    perSecond(), percentileMicros(50) / 1000.0, percentileMicros(99) / 1000.0, outcomes);
        }
    }

    /**
     * What an open-loop round gave. The phase's latencies run from each check-in's due time (not from when it was
     * sent), so a send held up by the simulator, the in-flight cap or the device's previous check-in counts in it;
     * {@code phase.latencyMicros()[k]} is that of arrival k (due {@code schedule.offsetNanos(k)} after the start).
     *
     * @param sending          from the start until the last check-in was sent
     * @param maxSendLagMicros how far behind its due time the latest send was
     * @param maxInFlight      the most check-ins due and not yet answered at once
     */
    public record OpenLoop(ArrivalSchedule schedule, Phase phase, Duration sending, long maxSendLagMicros, int maxInFlight) {
        /** Check-ins sent per second: over the schedule's duration, or longer if the sends fell behind it. */
        public double sentPerSecond() {
            return phase.requests() / (Math.max(schedule.duration().toNanos(), sending.toNanos()) / 1e9);
        }

        /** Answers 200 per second, from the start until the last answer. */
        public double okPerSecond() {
            return phase.ok() / Math.max(1e-9, phase.wall().toNanos() / 1e9);
        }

        public long notOk() {
            return phase.requests() - phase.ok();
        }

        @Override
        public String toString() {
            return String.format("open loop at %.1f/s for %.3f s: %d requests, sent at %.1f/s, %d ok in %.2f s (%.1f ok/s), %d not ok; "
                            + "latency from the due time p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; sends late by at most %.1f ms, "
                            + "at most %d in flight, %s",
                    schedule.perSecond(), schedule.duration().toNanos() / 1e9, phase.requests(), sentPerSecond(), phase.ok(),
                    phase.wall().toNanos() / 1e9, okPerSecond(), notOk(), phase.percentileMicros(50) / 1000.0,
                    phase.percentileMicros(95) / 1000.0, phase.percentileMicros(99) / 1000.0, phase.percentileMicros(100) / 1000.0,
                    maxSendLagMicros / 1000.0, maxInFlight, phase.outcomes());
        }
    }

    /** Enrolls every device not yet accepted. */
    public Phase enroll(String token) {
        return phase("enroll", concurrency, s -> s.journal().enrollment().filter(st -> st == EnrollmentResponse.Status.ACCEPTED).isPresent()
                ? null : s.enroll(token).thenApply(a -> (Answer<?>) a));
    }

    /** Every device checks in once. */
    public Phase checkinRound(int round) {
        return checkinRound(round, concurrency);
    }

    /** Every device checks in once, at most {@code inFlight} requests at a time. */
    public Phase checkinRound(int round, int inFlight) {
        return checkinRound(round, inFlight, s -> true);
    }

    /** Every device {@code which} accepts checks in once (with the reports its journal holds), at most {@code inFlight} at a time. */
    public Phase checkinRound(int round, int inFlight, Predicate<DeviceSession> which) {
        return phase("check-in round " + round + " (concurrency " + inFlight + ")", inFlight, s -> !which.test(s) ? null : checkin(s));
    }

    private CompletableFuture<Answer<?>> checkin(DeviceSession s) {
        return s.checkin(DeviceState.IDLE, Optional.empty(), Map.of(s.identity().deviceId(), new Ecu(hardwareId, Optional.empty(), "")),
                OptionalLong.empty(), Optional.empty()).thenApply(a -> (Answer<?>) a);
    }

    /**
     * An open loop: check-ins start at the schedule's due times, device after device (the k-th by device k modulo the
     * fleet's size), however long the answers take, with at most {@code maxInFlight} unanswered at once (a send held
     * by that cap is late, and its lateness counts in its latency). A device whose previous check-in is still
     * unanswered sends its next one right after that answer, as the agent does, since its counter and journal
     * allow one at a time.
     */
    public OpenLoop openLoop(ArrivalSchedule schedule, int maxInFlight) {
        int arrivals = schedule.arrivals();
        Semaphore slots = new Semaphore(maxInFlight);
        AtomicInteger unanswered = new AtomicInteger();
        int mostUnanswered = 0;
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        long[] latencies = new long[arrivals];
        CompletableFuture<?>[] previous = new CompletableFuture<?>[devices.size()];
        List<CompletableFuture<?>> all = new ArrayList<>(arrivals);
        long maxLag = 0;
        long start = System.nanoTime();
        for (int k = 0; k < arrivals; k++) {
            long due = start + schedule.offsetNanos(k);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) LockSupport.parkNanos(wait);
            slots.acquireUninterruptibly();
            mostUnanswered = Math.max(mostUnanswered, unanswered.incrementAndGet());
            maxLag = Math.max(maxLag, System.nanoTime() - due);
            int d = k % devices.size();
            DeviceSession s = devices.get(d);
            CompletableFuture<Answer<?>> f = previous[d] == null || previous[d].isDone() ? started(s)
                    : previous[d].handle((a, t) -> null).thenCompose(x -> started(s));
            int i = k;
            CompletableFuture<?> done = f.whenComplete((a, failure) -> {
                latencies[i] = (System.nanoTime() - due) / 1000;
                outcomes.computeIfAbsent(failure != null ? "exception" : kind(a), x -> new AtomicLong()).incrementAndGet();
                unanswered.decrementAndGet();
                slots.release();
            });
            previous[d] = done;
            all.add(done);
        }
        Duration sending = Duration.ofNanos(System.nanoTime() - start);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(t -> null).join();
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Phase phase = new Phase(String.format("open loop at %.1f/s", schedule.perSecond()), arrivals, counted(outcomes), latencies, wall);
        return new OpenLoop(schedule, phase, sending, maxLag / 1000, mostUnanswered);
    }

    /** A check-in of {@code s}, a failure to build or send it as a failed future. */
    private CompletableFuture<Answer<?>> started(DeviceSession s) {
        try {
            return checkin(s);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Each device named in {@code actions} (device id to action id) keeps a SUCCEEDED report of that action for its next
     * check-in, as the agent does once an install is done; returns how many devices of this fleet were named.
     */
    public int succeeded(Map<String, String> actions) {
        int n = 0;
        for (DeviceSession s : devices) {
            String actionId = actions.get(s.identity().deviceId());
            if (actionId == null) continue;
            s.journal().addReport(new Report(actionId, s.journal().lastSeq(actionId) + 1, Report.State.SUCCEEDED,
                    clock.instant().truncatedTo(ChronoUnit.SECONDS), ""));
            n++;
        }
        return n;
    }

    private Phase phase(String name, int concurrency, Function<DeviceSession, CompletableFuture<Answer<?>>> call) {
        Semaphore inFlight = new Semaphore(concurrency);
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (DeviceSession s : devices) {
            inFlight.acquireUninterruptibly();
            long t0 = System.nanoTime();
            CompletableFuture<Answer<?>> f;
            try {
                f = call.apply(s);
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
            if (f == null) {
                inFlight.release();
                continue;
            }
            all.add(f.whenComplete((a, failure) -> {
                latencies.add((System.nanoTime() - t0) / 1000);
                outcomes.computeIfAbsent(failure != null ? "exception" : kind(a), k -> new AtomicLong()).incrementAndGet();
                inFlight.release();
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(t -> null).join();
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        return new Phase(name, all.size(), counted(outcomes), latencies.stream().mapToLong(Long::longValue).toArray(), wall);
    }

    private static Map<String, Long> counted(Map<String, AtomicLong> outcomes) {
        Map<String, Long> counted = new java.util.TreeMap<>();
        outcomes.forEach((k, v) -> counted.put(k, v.get()));
        return counted;
    }

    private static String kind(Answer<?> a) {
        if (a instanceof Answer.Ok<?>) return "ok";
        if (a instanceof Answer.Refused<?> r) return String.valueOf(r.status()) + (r.code().isEmpty() ? "" : " " + r.code());
        if (a instanceof Answer.Throttled<?>) return "throttled";
        if (a instanceof Answer.Unavailable<?>) return "unavailable";
        return "untrusted";
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        URI server = URI.create(opt.getOrDefault("server", "http://127.0.0.1:9080"));
        int n = Integer.parseInt(opt.getOrDefault("devices", "1000"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "3"));
        int[] levels = Arrays.stream(opt.getOrDefault("concurrency", "128").split(",")).mapToInt(c -> Integer.parseInt(c.strip())).toArray();
        int concurrency = levels[0];
        Path dir = Path.of(opt.getOrDefault("dir", Files.createTempDirectory("fleet-sim-").toString()));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()))).build();
        HttpClientTransport transport = new HttpClientTransport(server, client, Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        FleetSimulator sim = new FleetSimulator(transport, dir, opt.getOrDefault("prefix", "sim-"), opt.getOrDefault("hardware", "lock-v2"),
                n, concurrency, Clock.systemUTC());
        System.out.printf("fleet-simulator: %d devices (keys and journals in %s) made in %.2f s%n", n, dir, (System.nanoTime() - t0) / 1e9);
        System.out.println("fleet-simulator: " + sim.enroll(opt.getOrDefault("token", "")));
        Map<String, String> succeeded = new java.util.HashMap<>();
        if (opt.containsKey("succeeded")) {
            for (String line : Files.readAllLines(Path.of(opt.get("succeeded")))) {
                String[] f = line.strip().split("\\s+");
                if (f.length == 2) succeeded.put(f[0], f[1]);
            }
            System.out.println("fleet-simulator: " + sim.succeeded(succeeded) + " devices report SUCCEEDED");
        }
        Predicate<DeviceSession> which = Boolean.parseBoolean(opt.getOrDefault("only-listed", "false"))
                ? s -> succeeded.containsKey(s.identity().deviceId()) : s -> true;
        int round = 0;
        for (int level : levels) {
            for (int r = 1; r <= rounds; r++) System.out.println("fleet-simulator: " + sim.checkinRound(++round, level, which));
        }
        if (opt.containsKey("rate")) {
            double rate = Double.parseDouble(opt.get("rate"));
            int maxInFlight = Integer.parseInt(opt.getOrDefault("max-in-flight", "4096"));
            double warmup = Double.parseDouble(opt.getOrDefault("warmup", "0"));
            if (warmup > 0) {
                System.out.println("fleet-simulator: warm-up, " + sim.openLoop(new ArrivalSchedule(rate, seconds(warmup)), maxInFlight));
            }
            OpenLoop run = sim.openLoop(new ArrivalSchedule(rate, seconds(Double.parseDouble(opt.getOrDefault("duration", "60")))), maxInFlight);
            System.out.println("fleet-simulator: " + run);
            if (opt.containsKey("latencies")) {
                List<String> lines = new ArrayList<>(List.of("# due_ms latency_ms (from the due time), one line per check-in of the open loop"));
                long[] latencies = run.phase().latencyMicros();
                for (int k = 0; k < latencies.length; k++) {
                    lines.add(String.format("%.3f %.3f", run.schedule().offsetNanos(k) / 1e6, latencies[k] / 1000.0));
                }
                Files.write(Path.of(opt.get("latencies")), lines);
            }
            long gcs = 0, gcMillis = 0;
            for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                gcs += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            System.out.printf("fleet-simulator: this process in all: CPU %.2f s, %d collections taking %d ms%n",
                    ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9, gcs, gcMillis);
        }
        if (opt.containsKey("tokens")) {
            List<String> lines = new ArrayList<>();
            for (DeviceSession s : sim.devices()) s.currentToken().ifPresent(t -> lines.add(s.identity().deviceId() + " " + t));
            Files.write(Path.of(opt.get("tokens")), lines);
        }
        System.exit(0);
    }
}
