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
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DataDirectory.class.getName());
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

    /**
     * Creates {@code dir} and its missing parents, every one of them owner-only (0700) from its
     * creation: the permissions are given to mkdir, so the umask cannot widen them (it only removes
     * bits). Setting them on {@code dir} alone afterwards left each new parent with the umask's
     * permissions: {@code blobs/} came out 0750 when its first blob created {@code blobs/ab/}.
     */
    public static Path ensurePrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                if (PosixSupport.AVAILABLE) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
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

    /**
     * Makes {@code dir} and everything under it owner-only: directories 0700, files 0600. Run at
     * start-up, because not everything here is created by this application: the data source opens
     * H2, which creates {@code h2/} and its {@code .mv.db} with the process umask (often 0755/0644),
     * and Liberty may open it before any of our code runs. The top directory alone would already
     * keep other users out (they cannot traverse it); the files are fixed too, so that copying or
     * moving the directory does not expose them. Symbolic links are not followed. On a file system
     * without POSIX permissions nothing is changed and a warning says so.
     *
     * @return how many entries had broader permissions and were narrowed
     */
    public static int restrictToOwner(Path dir) {
        return restrictToOwner(dir, PosixSupport.AVAILABLE);
    }

    static int restrictToOwner(Path dir, boolean posix) {
        if (!posix) {
            LOG.warning(() -> "the file system of " + dir + " has no POSIX permissions: make sure only the server's"
                    + " user can read it (it holds the keystore and the database)");
            return 0;
        }
        int[] narrowed = {0};
        try (java.util.stream.Stream<Path> entries = Files.walk(dir)) {
            entries.forEach(p -> {
                try {
                    if (Files.isSymbolicLink(p)) {
                        return;
                    }
                    java.util.Set<java.nio.file.attribute.PosixFilePermission> wanted = PosixFilePermissions.fromString(
                            Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------");
                    java.util.Set<java.nio.file.attribute.PosixFilePermission> current =
                            Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    if (!current.equals(wanted)) {
                        Files.setPosixFilePermissions(p, wanted);
                        narrowed[0]++;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("cannot make the data directory " + dir + " owner-only", e);
        }
        if (narrowed[0] > 0) {
            LOG.info("narrowed the permissions of " + narrowed[0] + " entries under " + dir + " to owner-only");
        }
        return narrowed[0];
    }

    private static final class PosixSupport {
        static final boolean AVAILABLE = java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews().contains("posix");
    }
}
