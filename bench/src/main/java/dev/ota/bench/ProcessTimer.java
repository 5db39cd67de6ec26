package dev.ota.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Runs a whole client process and measures its wall time: from {@link ProcessBuilder#start} to the return of
 * {@link Process#waitFor}, so JVM or Node start-up, class loading, the refresh, the writes and the exit all count.
 * When {@code /usr/bin/time} is there, the process runs under {@code /usr/bin/time -f %M} for its peak resident
 * set (the kernel's maxrss of the waited child); that wrapper is one more fork and exec, paid by every client alike.
 */
final class ProcessTimer {
    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    /** One finished process: wall time, peak RSS in KiB if measured, exit status, and its stderr. */
    record Run(double millis, OptionalLong peakRssKiB, int exit, String stderr) {
    }

    private final boolean measureRss;
    private final Path scratch;

    /** @param scratch folder for the stderr and RSS files of each run (overwritten run by run) */
    ProcessTimer(boolean wantRss, Path scratch) {
        this.measureRss = wantRss && Files.isExecutable(GNU_TIME);
        this.scratch = scratch;
    }

    boolean measuresRss() {
        return measureRss;
    }

    Run run(List<String> command, Map<String, String> extraEnv) {
        Path rss = scratch.resolve("maxrss.txt");
        Path err = scratch.resolve("stderr.txt");
        List<String> full = new ArrayList<>();
        if (measureRss) full.addAll(List.of(GNU_TIME.toString(), "-f", "%M", "-o", rss.toString()));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        pb.environment().putAll(extraEnv);
        try {
            Files.deleteIfExists(rss);
            long start = System.nanoTime();
            Process p = pb.start();
            int exit = p.waitFor();
            double ms = (System.nanoTime() - start) / 1e6;
            return new Run(ms, measureRss ? readRss(rss) : OptionalLong.empty(), exit,
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private static OptionalLong readRss(Path file) throws IOException {
        if (!Files.isRegularFile(file)) return OptionalLong.empty();
        // GNU time writes "Command exited with non-zero status N" before the figure when the child fails.
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i).trim();
            if (l.matches("\\d+")) return OptionalLong.of(Long.parseLong(l));
        }
        return OptionalLong.empty();
    }
}
