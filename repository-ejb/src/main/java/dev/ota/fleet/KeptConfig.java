package dev.ota.fleet;

import java.time.Instant;

/** One configuration version the server keeps of a device: its number, the envelope's SHA-256, when it came. */
public record KeptConfig(long version, String sha256, Instant receivedAt) implements java.io.Serializable {
}
