package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.Bytes;

import java.time.Instant;

/**
 * A metadata file to store and serve exactly as given: its name under consistent snapshots
 * ({@code 3.snapshot.json}, {@code 5.releases-0a.json}, {@code timestamp.json}), the role, version and expiry
 * it carries, and its bytes.
 */
public record MetadataFile(String fileName, String role, long version, Instant expires, Bytes bytes) {
    public MetadataFile {
        if (fileName == null || role == null || expires == null || bytes == null) {
            throw new IllegalArgumentException("every field of a metadata file is required");
        }
    }

    public int length() {
        return bytes.length();
    }

    public String sha256() {
        return bytes.sha256Hex();
    }
}
