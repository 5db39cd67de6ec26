package dev.ota.repository;

import dev.ota.installation.DataDirectory;
import java.nio.file.Path;

/**
 * Content-addressed storage of target bytes on disk: {@code blobs/sha256/ab/<sha256>} under the
 * data directory. A blob's name is its hash, so a stored blob is never overwritten with other bytes.
 */
final class BlobStore {
    private final Path root;

    BlobStore(Path root) {
        this.root = root;
    }

    static BlobStore inDataDirectory() {
        return new BlobStore(DataDirectory.path().resolve("blobs").resolve("sha256"));
    }

    Path pathOf(String sha256) {
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }
}
