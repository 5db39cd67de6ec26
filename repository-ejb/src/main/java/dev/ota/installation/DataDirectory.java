package dev.ota.installation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The server's private data directory: keystore, password files, blob store, H2 database.
 * {@code OTA_DATA_DIR} overrides it; otherwise it is {@code data/} under the server's output
 * directory, which Liberty makes the working directory of the server process (its
 * {@code bin/server run} changes into it), the same place server.xml puts the H2 file.
 */
public final class DataDirectory {
    private DataDirectory() {
    }

    /** The data directory, created (owner-only where the file system supports it) if missing. */
    public static Path path() {
        String configured = System.getenv("OTA_DATA_DIR");
        Path dir = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.dir"), "data");
        return ensurePrivateDirectory(dir.toAbsolutePath().normalize());
    }

    /** Creates {@code dir} and its parents; new directories are readable by the owner only. */
    public static Path ensurePrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (PosixSupport.AVAILABLE) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    /**
     * Writes a secret to a new file readable only by this process's user. The permissions are set
     * at creation, so the secret is never readable by others, not even for a moment.
     */
    public static void writeSecretFile(Path file, String secret) {
        try {
            ensurePrivateDirectory(file.getParent());
            if (PosixSupport.AVAILABLE) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, secret + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write secret file " + file, e);
        }
    }

    private static final class PosixSupport {
        static final boolean AVAILABLE = java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews().contains("posix");
    }
}
