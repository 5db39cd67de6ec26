package dev.ota.serving;

/** A blob now in the content-addressed store: its SHA-256 (its name there) and length. */
public record StoredBlob(String sha256, long length) {
}
