package dev.ota.fleet;

import java.time.Instant;

/** One kept configuration version: its number, the SHA-256 of the envelope as sent, when it arrived. */
public record ConfigVersionView(long version, String sha256, Instant receivedAt) {
}
