package dev.ota.agent.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Verified images too big for the {@link ImageCache}, staged in {@code downloads/}: one copy per image (SHA-256),
 * in a file of its own, shared by every answer that sends it. A copy is deleted only when no answer holds it and
 * none has for {@code keep}: a device resuming a cut download (a {@code Range} request) soon after is served from
 * it instead of the gateway fetching the whole image from the cloud again. An expired copy goes at the next
 * {@link #sweep} (each image request runs one), so at most {@code keep} plus the time to the next image request.
 * Nothing here outlives the process: whatever a crash left is deleted when the gateway starts. Thread-safe.
 */
final class StagedImages {
    private static final String SUFFIX = ".verified";

    private final Path dir;
    private final Duration keep;
    private final Clock clock;
    /** The staged copy of each image; a copy replaced while held is deleted by its last release. */
    private final Map<String, Copy> copies = new HashMap<>();

    /** One staged file: how many answers hold it, and since when none has. */
    private static final class Copy {
        final Path file;
        int holders;
        Instant idleSince;

        Copy(Path file) {
            this.file = file;
        }
    }

    /** Opens {@code dir}, deleting what an earlier run left in it (no answer of that run can still be sent). */
    StagedImages(Path dir, Duration keep, Clock clock) throws IOException {
        if (keep.isNegative()) throw new IllegalArgumentException("the time staged images are kept must not be negative");
        this.dir = dir;
        this.keep = keep;
        this.clock = clock;
        Files.createDirectories(dir);
        List<Path> left;
        try (Stream<Path> s = Files.walk(dir)) {
            left = s.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : left) Files.deleteIfExists(p);
    }

    /** One answer's hold on a staged copy; {@link #release} (once is enough, more is harmless) lets it go. */
    final class Lease {
        private final String sha256;
        private final Copy copy;
        private boolean released;

        private Lease(String sha256, Copy copy) {
            this.sha256 = sha256;
            this.copy = copy;
        }

        Path file() {
            return copy.file;
        }

        void release() throws IOException {
            synchronized (StagedImages.this) {
                if (released) return;
                released = true;
                if (--copy.holders > 0) return;
                if (copies.get(sha256) == copy && !keep.isZero()) {
                    copy.idleSince = clock.instant();
                    return;
                }
                copies.remove(sha256, copy);
                Files.deleteIfExists(copy.file);
            }
        }
    }

    /** A hold on the staged copy of {@code sha256}, if there is one. */
    synchronized Optional<Lease> hold(String sha256) throws IOException {
        sweep();
        Copy c = copies.get(sha256);
        if (c == null) return Optional.empty();
        c.holders++;
        return Optional.of(new Lease(sha256, c));
    }

    /** Moves {@code verified} (the image {@code sha256}) into a file of its own here, held by the returned lease. */
    synchronized Lease stage(String sha256, Path verified) throws IOException {
        Path file = Files.createTempFile(dir, sha256 + "-", SUFFIX);
        try {
            Files.move(verified, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        Copy c = new Copy(file);
        c.holders = 1;
        Copy before = copies.put(sha256, c);
        // Callers look for a copy first, so there is none; if there were, its last holder deletes it.
        if (before != null && before.holders == 0) Files.deleteIfExists(before.file);
        return new Lease(sha256, c);
    }

    /** Deletes the copies no answer has held for {@code keep}. */
    synchronized void sweep() throws IOException {
        Instant now = clock.instant();
        List<String> expired = new ArrayList<>();
        copies.forEach((h, c) -> {
            if (c.holders == 0 && !now.isBefore(c.idleSince.plus(keep))) expired.add(h);
        });
        for (String h : expired) Files.deleteIfExists(copies.remove(h).file);
    }

    /** The images with a staged copy now. */
    synchronized List<String> hashes() {
        return List.copyOf(copies.keySet());
    }
}
