package dev.ota.agent.fleet;

import dev.ota.tuf.metadata.Bytes;

import java.util.Optional;

/** A server's answer as far as a device cares: status, {@code Retry-After} when sent, and the body. */
public record DeviceResponse(int status, Optional<String> retryAfter, Bytes body) {
}
