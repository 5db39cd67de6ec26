package dev.ota.agent.fleet;

import dev.ota.tuf.metadata.Bytes;

import java.util.Optional;

/**
 * One HTTP request of device-api.md, independent of the HTTP library: method, path below the server's base URL,
 * body (empty for a GET) and the bearer token for the device's GETs. {@link #toString()} never shows the token.
 */
public record DeviceRequest(String method, String path, Optional<Bytes> body, Optional<String> bearer) {
    @Override
    public String toString() {
        return method + " " + path + body.map(b -> " (" + b.length() + " bytes)").orElse("") + (bearer.isPresent() ? " with token" : "");
    }
}
