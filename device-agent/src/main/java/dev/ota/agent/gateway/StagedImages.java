package dev.ota.agent.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Verified images too big for the {@link ImageCache}, each in a file of its own in {@code downloads/} while it is
 * served: one fetch, one uniquely named file, deleted once that answer is sent or failed. A fixed name per image
 * let one device's finished answer delete the file another device was about to be sent. Nothing here outlives
 * the process: whatever a crash left is deleted when the gateway starts.
 */
final class StagedImages {
    private static final String SUFFIX = ".verified";

    private final Path dir;

    /** Opens {@code dir}, deleting what an earlier run left in it (no answer of that run can still be sent). */
    StagedImages(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        List<Path> left;
        try (Stream<Path> s = Files.walk(dir)) {
            left = s.filter(p -> !p.equals(dir)).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : left) Files.deleteIfExists(p);
    }

    /** One answer's hold on a staged file; {@link #release} (once is enough, more is harmless) deletes it. */
    static final class Lease {
        private final Path file;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(Path file) {
            this.file = file;
        }

        Path file() {
            return file;
        }

        void release() throws IOException {
            if (released.compareAndSet(false, true)) Files.deleteIfExists(file);
        }
    }

    /** Moves {@code verified} (the image {@code sha256}) into a file of its own here, held by the returned lease. */
    Lease stage(String sha256, Path verified) throws IOException {
        Path file = Files.createTempFile(dir, sha256 + "-", SUFFIX);
        try {
            Files.move(verified, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Lease(file);
    }
}
