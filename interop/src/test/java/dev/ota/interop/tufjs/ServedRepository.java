package dev.ota.interop.tufjs;

import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.repository.MetadataFile;
import dev.ota.tuf.repository.Publication;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The storage side of a repository made with {@code dev.ota.tuf.repository}: writes a publication's metadata
 * files under {@code metadata/} exactly as produced, and target content under {@code targets/} with
 * consistent-snapshot names ({@code dir/HASH.name}), as a static mirror would lay them out.
 */
final class ServedRepository {
    private final Path dir;

    ServedRepository(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path metadataDir() {
        return dir.resolve("metadata");
    }

    /** Stores every file of the publication in publish order (so a later timestamp.json wins). */
    void store(Publication publication) {
        for (MetadataFile f : publication.files()) write(metadataDir().resolve(f.fileName()), f.bytes().toArray());
    }

    /** Stores a target's content as {@code HASH.NAME} for each hash the target lists; returns the first such file. */
    Path storeTarget(String targetPath, TargetFile target, byte[] content) {
        int slash = targetPath.lastIndexOf('/');
        String folder = targetPath.substring(0, slash + 1);
        String name = targetPath.substring(slash + 1);
        Path first = null;
        for (String hash : target.hashes().values()) {
            Path file = dir.resolve("targets").resolve(folder + hash + "." + name);
            write(file, content);
            if (first == null) first = file;
        }
        return first;
    }

    /** The target description for {@code content}, as the repository lists it (sha256). */
    static TargetFile describe(byte[] content) {
        return TargetFile.describing(Bytes.of(content), java.util.Optional.empty());
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
