package dev.ota.repository;

import dev.ota.error.ErrorKind;
import dev.ota.installation.DataDirectory;
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
final class BlobStore {
    private static final Logger LOG = Logger.getLogger(BlobStore.class.getName());
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path incoming;

    BlobStore(Path root, Path incoming) {
        this.root = root;
        this.incoming = incoming;
    }

    static BlobStore inDataDirectory() {
        Path blobs = DataDirectory.path().resolve("blobs");
        return new BlobStore(blobs.resolve("sha256"), blobs.resolve("incoming"));
    }

    Path pathOf(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /**
     * Streams {@code in} into the store, hashing and counting on the way. More than {@code maxBytes}
     * aborts the upload and leaves nothing behind.
     */
    StoredBlob store(InputStream in, long maxBytes) {
        DataDirectory.ensurePrivateDirectory(incoming);
        Path temp;
        try {
            temp = Files.createTempFile(incoming, "upload-", ".part");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file in " + incoming, e);
        }
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
                                "the upload exceeds the limit of " + maxBytes + " bytes (OTA_MAX_UPLOAD_BYTES)");
                    }
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            String hash = HexFormat.of().formatHex(sha256.digest());
            Path target = pathOf(hash);
            DataDirectory.ensurePrivateDirectory(target.getParent());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                // Same hash, same bytes: the blob is already stored.
                Files.deleteIfExists(temp);
            }
            if (Files.exists(temp)) {
                // Some file systems replace silently on ATOMIC_MOVE; either way one copy remains.
                Files.deleteIfExists(temp);
            }
            return new StoredBlob(hash, length);
        } catch (IOException e) {
            // The exception's text can name server paths (the temporary file, the blob directory):
            // it stays in the log; the client learns only that its upload did not arrive whole.
            LOG.log(Level.WARNING, "an upload failed while being stored: " + e, e);
            throw new RepositoryFailure("release.upload-failed", ErrorKind.INVALID_INPUT,
                    "the upload could not be read to its end or stored; send it again", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // Left for the operator; never a reason to fail the request.
            }
        }
    }
}
