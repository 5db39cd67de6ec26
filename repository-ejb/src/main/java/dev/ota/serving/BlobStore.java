package dev.ota.serving;

import dev.ota.error.ErrorKind;
import dev.ota.installation.DataDirectory;
import dev.ota.repository.RepositoryFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Content-addressed storage of target bytes on disk: {@code blobs/sha256/ab/<sha256>} under the
 * data directory. A blob's name is its hash, so a stored blob is never overwritten with other
 * bytes; an upload is written to a temporary file first and moved into place only when complete.
 */
public final class BlobStore {
    private static final Logger LOG = Logger.getLogger(BlobStore.class.getName());
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path incoming;

    public BlobStore(Path root, Path incoming) {
        this.root = root;
        this.incoming = incoming;
    }

    public static BlobStore inDataDirectory() {
        Path blobs = DataDirectory.path().resolve("blobs");
        return new BlobStore(blobs.resolve("sha256"), blobs.resolve("incoming"));
    }

    Path pathOf(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** Whether the store holds these bytes (a re-release publishes stored bytes under a new path). */
    public boolean holds(StoredBlob blob) {
        Path p = pathOf(blob.sha256());
        try {
            return Files.isRegularFile(p) && Files.size(p) == blob.length();
        } catch (IOException e) {
            return false;
        }
    }

    /** Bytes received in full and hashed, not yet in the store: a file under {@code incoming/}. */
    public record Staged(Path file, StoredBlob blob) {
    }

    /**
     * Streams {@code in} to a new file under {@code incoming/}, computing SHA-256 and length on the
     * way; the caller then {@link #place}s it or {@link #discard}s it. More than {@code maxBytes}, or
     * a read failure, deletes the file and throws.
     *
     * @param what names the stream in error messages ("the upload", "entry 3 (a.bin)")
     */
    public Staged stage(InputStream in, long maxBytes, String what) {
        DataDirectory.ensurePrivateDirectory(incoming);
        Path temp;
        try {
            temp = Files.createTempFile(incoming, "upload-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file in " + incoming, e);
        }
        boolean staged = false;
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long length = 0;
            byte[] buffer = new byte[BUFFER];
            try (OutputStream out = Files.newOutputStream(temp)) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    length += n;
                    if (length > maxBytes) {
                        throw new RepositoryFailure("release.too-large", ErrorKind.TOO_LARGE,
                                what + " exceeds the limit of " + maxBytes + " bytes (OTA_MAX_UPLOAD_BYTES)");
                    }
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            staged = true;
            return new Staged(temp, new StoredBlob(HexFormat.of().formatHex(sha256.digest()), length));
        } catch (IOException e) {
            // The exception's text can name server paths (the temporary file, the blob directory):
            // it stays in the log; the client learns only that its upload did not arrive whole.
            LOG.log(Level.WARNING, "an upload failed while being stored: " + e, e);
            throw new RepositoryFailure("release.upload-failed", ErrorKind.INVALID_INPUT,
                    what + " could not be read to its end or stored; send it again", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        } finally {
            if (!staged) {
                discard(temp);
            }
        }
    }

    /**
     * Moves a staged file to its content address.
     *
     * @return the blob's path if this call created it; {@code null} if the store already held
     *         those bytes (then the staged copy is deleted)
     */
    public Path place(Staged staged) {
        Path target = pathOf(staged.blob().sha256());
        try {
            DataDirectory.ensurePrivateDirectory(target.getParent());
            if (Files.exists(target)) {
                Files.deleteIfExists(staged.file());
                return null;
            }
            try {
                Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (FileAlreadyExistsException e) {
                // Same hash, same bytes: the blob is already stored.
                Files.deleteIfExists(staged.file());
                return null;
            } finally {
                // Some file systems replace silently on ATOMIC_MOVE; either way one copy remains.
                Files.deleteIfExists(staged.file());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + staged.blob().sha256(), e);
        }
    }

    /** Deletes a file of this store, reporting nothing: leftovers are for the operator, never a failure. */
    public static void discard(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left for the operator; never a reason to fail the request.
        }
    }
}
