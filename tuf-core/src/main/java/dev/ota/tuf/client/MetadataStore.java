package dev.ota.tuf.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The client's trusted metadata on disk: one file per role under its unversioned, URL-encoded name, holding
 * exactly the bytes that were accepted. Writes are atomic (temp file, fsync, rename, fsync of the folder)
 * so a power loss leaves either the old or the new file, never a torn one. Temp files never end in
 * {@code .json}.
 */
public final class MetadataStore {
    private final Path dir;

    public MetadataStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The file for a role; the encoding makes names like {@code ../x} or {@code a/b} stay inside the folder. */
    public Path fileFor(String roleName) {
        return dir.resolve(UrlEncoding.encode(roleName) + ".json");
    }

    public Optional<byte[]> read(String roleName) {
        try {
            return Optional.of(Files.readAllBytes(fileFor(roleName)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String roleName, byte[] bytes) {
        writeAtomically(fileFor(roleName), bytes);
    }

    public void delete(String roleName) {
        try {
            Files.deleteIfExists(fileFor(roleName));
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code target} so that a crash at any moment leaves either its old content or the new one. */
    public static void writeAtomically(Path target, byte[] bytes) {
        Path folder = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(folder);
            tmp = Files.createTempFile(folder, ".incoming-", ".part");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            fsyncDirectory(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temp file is never read back; leaving it only costs space
                }
            }
        }
    }

    static void fsyncDirectory(Path folder) {
        try (FileChannel ch = FileChannel.open(folder, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened for fsync; the rename is still atomic there
        }
    }
}
