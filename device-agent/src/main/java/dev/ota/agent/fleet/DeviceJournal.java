package dev.ota.agent.fleet;

import dev.ota.protocol.EnrollmentResponse;
import dev.ota.protocol.Report;
import dev.ota.tuf.client.MetadataStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The device's write-ahead journal: an append-only file of lines, each fsynced before the caller relies on it.
 * <ul>
 * <li>{@code COUNTER n}: written before the check-in carrying counter {@code n} is sent, so a restart or a power
 * loss at any moment continues above every counter that may have reached the server.</li>
 * <li>{@code REPORT ...}: an install journal entry to report; {@code ACK id seq}: the server acknowledged the
 * reports of action {@code id} up to {@code seq}. A report stays in every check-in until an ACK covers it.</li>
 * <li>{@code CONFIG version sha256}: the configuration version the server holds, as uploaded or restored.</li>
 * <li>{@code ENROLLED status}: the last enrollment answer; {@code UNENROLLED}: the server no longer knows us.</li>
 * <li>{@code DIRECTOR v}: the director timestamp version the device processed last, so a restart neither skips a
 * change nor acts on one twice; {@code ACTION json}: the director order the device works on and how far it got.</li>
 * <li>{@code DESIRED hashes}: the hashes of the director's desired configuration target last applied to the
 * properties file, so the same target is applied once.</li>
 * </ul>
 * A line torn by a power loss lacks its end marker: it is ignored and cut off before the next append, so it
 * never merges with a later line. Past {@link #COMPACT_AFTER_LINES} lines the journal is rewritten atomically as
 * the lines of its current state. Not thread-safe: one owner per device.
 */
public final class DeviceJournal {
    static final String FILE = "device-journal";
    static final int COMPACT_AFTER_LINES = 2000;
    private static final String END = " .";

    private final Path file;
    private long counter;
    private final Map<String, Report> pending = new LinkedHashMap<>();
    private final Map<String, Long> acked = new HashMap<>();
    private Optional<ConfigState> config = Optional.empty();
    private Optional<EnrollmentResponse.Status> enrollment = Optional.empty();
    private final Map<String, Long> lastSeq = new HashMap<>();
    private long directorVersion;
    private Optional<Action> action = Optional.empty();
    private Optional<String> desiredConfig = Optional.empty();
    private int lines;

    /** The configuration the server holds: its version and the sha256 of its properties (see the run loop). */
    public record ConfigState(long version, String sha256) {
    }

    private DeviceJournal(Path file) {
        this.file = file;
    }

    /** Opens (or starts) the journal in {@code dataDir}, replaying every completely written line. */
    public static DeviceJournal open(Path dataDir) {
        DeviceJournal j = new DeviceJournal(dataDir.resolve(FILE));
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(j.file)) {
                byte[] all = Files.readAllBytes(j.file);
                int complete = lastNewline(all) + 1;
                if (complete < all.length) {
                    // A torn tail: cut it so the next append starts on a line of its own.
                    try (FileChannel ch = FileChannel.open(j.file, StandardOpenOption.WRITE)) {
                        ch.truncate(complete);
                        ch.force(true);
                    }
                }
                for (String line : new String(all, 0, complete, StandardCharsets.UTF_8).split("\n")) {
                    if (line.endsWith(END)) {
                        j.apply(line.substring(0, line.length() - END.length()).split(" "));
                        j.lines++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the device journal " + j.file + ": " + e.getMessage(), e);
        }
        return j;
    }

    private static int lastNewline(byte[] b) {
        for (int i = b.length - 1; i >= 0; i--) if (b[i] == '\n') return i;
        return -1;
    }

    private void apply(String[] f) {
        try {
            switch (f[0]) {
                case "COUNTER" -> counter = Math.max(counter, Long.parseLong(f[1]));
                case "REPORT" -> {
                    Report r = new Report(dec(f[1]), Long.parseLong(f[2]), Report.State.valueOf(f[3]), Instant.parse(f[4]),
                            f.length > 5 ? dec(f[5]) : "");
                    lastSeq.merge(r.actionId(), r.seq(), Math::max);
                    if (!isAcked(r)) pending.put(key(r), r);
                }
                case "DIRECTOR" -> directorVersion = Math.max(directorVersion, Long.parseLong(f[1]));
                case "ACTION" -> action = Optional.of(Action.fromLine(dec(f[1])));
                case "ACK" -> ack(dec(f[1]), Long.parseLong(f[2]));
                case "DESIRED" -> desiredConfig = Optional.of(f[1]);
                case "DESIRED-CLEARED" -> desiredConfig = Optional.empty();
                case "CONFIG" -> config = Optional.of(new ConfigState(Long.parseLong(f[1]), f[2]));
                case "ENROLLED" -> enrollment = Optional.of(EnrollmentResponse.Status.valueOf(f[1]));
                case "UNENROLLED" -> enrollment = Optional.empty();
                default -> {
                    // A line of a newer agent: its state is not this version's business.
                }
            }
        } catch (RuntimeException e) {
            // A complete line this version cannot read is skipped; the rest of the journal still counts.
        }
    }

    private static String key(Report r) {
        return r.actionId() + "\u0000" + r.seq();
    }

    private boolean isAcked(Report r) {
        Long upTo = acked.get(r.actionId());
        return upTo != null && r.seq() <= upTo;
    }

    private void ack(String actionId, long seq) {
        acked.merge(actionId, seq, Math::max);
        lastSeq.merge(actionId, seq, Math::max);
        pending.values().removeIf(this::isAcked);
    }

    /**
     * Reserves the next check-in counter: the line is on disk before this returns, so the counter is never
     * handed out again, whatever happens to the check-in that carries it.
     */
    public long nextCounter() {
        long next = counter + 1;
        append("COUNTER " + next);
        counter = next;
        return next;
    }

    /** The last counter reserved (0 before the first check-in). */
    public long lastCounter() {
        return counter;
    }

    /** Keeps {@code report} until the server acknowledges it; a report already acknowledged is not kept again. */
    public void addReport(Report report) {
        if (isAcked(report)) return;
        append("REPORT " + enc(report.actionId()) + " " + report.seq() + " " + report.state().name() + " "
                + report.at() + " " + enc(report.detail()));
        pending.put(key(report), report);
        lastSeq.merge(report.actionId(), report.seq(), Math::max);
    }

    /** The highest report sequence number used for {@code actionId} (0: none yet); the next report goes above it. */
    public long lastSeq(String actionId) {
        return lastSeq.getOrDefault(actionId, 0L);
    }

    /** The director timestamp version the device processed last (0 before the first). */
    public long directorVersion() {
        return directorVersion;
    }

    public void directorProcessed(long version) {
        if (version <= directorVersion) return;
        append("DIRECTOR " + version);
        directorVersion = version;
    }

    /** The director order the device works on, or worked on last (see {@link Action#isOpen()}). */
    public Optional<Action> action() {
        return action;
    }

    public void action(Action a) {
        append("ACTION " + enc(a.toLine()));
        action = Optional.of(a);
    }

    /** Reports not yet acknowledged, in the order they were added. */
    public List<Report> unacked() {
        return List.copyOf(pending.values());
    }

    /** Records the server's {@code ackedReports}; only acknowledgements that cover something new are written. */
    public void acknowledge(Map<String, Long> ackedReports) {
        for (Map.Entry<String, Long> e : ackedReports.entrySet()) {
            Long known = acked.get(e.getKey());
            if (known != null && known >= e.getValue()) continue;
            append("ACK " + enc(e.getKey()) + " " + e.getValue());
            ack(e.getKey(), e.getValue());
        }
    }

    public Optional<ConfigState> config() {
        return config;
    }

    public void configSynced(ConfigState state) {
        append("CONFIG " + state.version() + " " + state.sha256());
        config = Optional.of(state);
    }

    /** The version (hashes) of the desired configuration target applied last; empty before the first. */
    public Optional<String> desiredConfig() {
        return desiredConfig;
    }

    /** @param hashes the applied target's hashes as one word (no spaces) */
    public void desiredConfigApplied(String hashes) {
        if (hashes.isEmpty() || hashes.contains(" ")) throw new IllegalArgumentException("hashes must be one word: '" + hashes + "'");
        append("DESIRED " + hashes);
        desiredConfig = Optional.of(hashes);
    }

    /**
     * The director no longer lists a desired configuration: the one applied last is forgotten, so the same one set
     * again later is a new order and applied again (the properties may have changed on the device in between).
     */
    public void desiredConfigCleared() {
        if (desiredConfig.isEmpty()) return;
        append("DESIRED-CLEARED");
        desiredConfig = Optional.empty();
    }

    public Optional<EnrollmentResponse.Status> enrollment() {
        return enrollment;
    }

    public void enrolled(EnrollmentResponse.Status status) {
        if (enrollment.equals(Optional.of(status))) return;
        append("ENROLLED " + status.name());
        enrollment = Optional.of(status);
    }

    /** The server no longer knows this device (401): enroll again before the next check-in. */
    public void unenrolled() {
        if (enrollment.isEmpty()) return;
        append("UNENROLLED");
        enrollment = Optional.empty();
    }

    private void append(String line) {
        if (lines >= COMPACT_AFTER_LINES) compact();
        byte[] bytes = (line + END + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the device journal " + file + ": " + e.getMessage(), e);
        }
        lines++;
    }

    /** Rewrites the journal as its current state; atomic, so a power loss leaves the old file or the new one. */
    private void compact() {
        List<String> out = new ArrayList<>();
        out.add("COUNTER " + counter);
        acked.forEach((id, seq) -> out.add("ACK " + enc(id) + " " + seq));
        for (Report r : pending.values()) {
            out.add("REPORT " + enc(r.actionId()) + " " + r.seq() + " " + r.state().name() + " " + r.at() + " " + enc(r.detail()));
        }
        config.ifPresent(c -> out.add("CONFIG " + c.version() + " " + c.sha256()));
        enrollment.ifPresent(s -> out.add("ENROLLED " + s.name()));
        if (directorVersion > 0) out.add("DIRECTOR " + directorVersion);
        action.ifPresent(a -> out.add("ACTION " + enc(a.toLine())));
        desiredConfig.ifPresent(d -> out.add("DESIRED " + d));
        StringBuilder sb = new StringBuilder();
        for (String l : out) sb.append(l).append(END).append('\n');
        MetadataStore.writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        lines = out.size();
    }

    private static String enc(String s) {
        // An empty field would vanish between two spaces; "~" stands for it (the encoder writes a real one as %7E).
        return s.isEmpty() ? "~" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return s.equals("~") ? "" : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
