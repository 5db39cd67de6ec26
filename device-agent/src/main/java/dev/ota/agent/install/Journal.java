package dev.ota.agent.install;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Append-only install journal, one line per step, each line fsynced before the step's effect is relied on.
 * A line torn by a power loss is ignored on reading (it lacks its end marker), so the journal always
 * reflects a step that was completely recorded.
 */
public final class Journal {
    private static final String END = " .";
    private final Path file;
    private final CrashPoints crashPoints;

    public Journal(Path stateDir, CrashPoints crashPoints) {
        this.file = stateDir.resolve("journal");
        this.crashPoints = crashPoints;
    }

    /** One recorded step with its attributes ({@code target}, {@code version}, {@code slot}, {@code reason}...). */
    public record Entry(Step step, Map<String, String> attributes) {
        public Entry {
            attributes = Map.copyOf(attributes);
        }

        public String get(String key) {
            return attributes.get(key);
        }
    }

    public void record(Step step, Map<String, String> attributes) {
        StringBuilder line = new StringBuilder(step.name());
        new java.util.TreeMap<>(attributes).forEach((k, v) -> line.append(' ').append(k).append('=').append(encode(v)));
        line.append(END).append('\n');
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer b = ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write install journal: " + e.getMessage(), e);
        }
        crashPoints.after(step);
    }

    public Optional<Entry> last() {
        List<Entry> all = entries();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The entries of the newest install, from its STARTED on. */
    public List<Entry> current() {
        List<Entry> all = entries();
        int start = 0;
        for (int i = 0; i < all.size(); i++) if (all.get(i).step() == Step.STARTED) start = i;
        return all.subList(start, all.size());
    }

    public List<Entry> entries() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> out = new ArrayList<>();
        for (String l : lines) {
            if (!l.endsWith(END)) continue;
            String[] parts = l.substring(0, l.length() - END.length()).split(" ");
            Step step;
            try {
                step = Step.valueOf(parts[0]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                if (eq > 0) attrs.put(parts[i].substring(0, eq), decode(parts[i].substring(eq + 1)));
            }
            out.add(new Entry(step, attrs));
        }
        return out;
    }

    private static String encode(String v) {
        return java.net.URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static String decode(String v) {
        return java.net.URLDecoder.decode(v, StandardCharsets.UTF_8);
    }
}
