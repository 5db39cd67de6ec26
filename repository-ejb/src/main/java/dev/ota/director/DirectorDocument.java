package dev.ota.director;

import java.time.Instant;

/** A director file as served: its exact bytes, when it was signed, and its SHA-256 (hex) for an ETag. */
public record DirectorDocument(byte[] bytes, Instant signedAt, String sha256) {
    public DirectorDocument {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }
}
