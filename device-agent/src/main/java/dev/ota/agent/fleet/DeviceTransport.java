package dev.ota.agent.fleet;

import java.util.concurrent.CompletableFuture;

/**
 * Sends device requests. Asynchronous so a fleet simulator keeps thousands of devices in flight on a few threads;
 * a single device simply waits for the future. A transport failure (no connection, timeout) completes the future
 * exceptionally; any HTTP status is a {@link DeviceResponse}.
 */
@FunctionalInterface
public interface DeviceTransport {
    CompletableFuture<DeviceResponse> send(DeviceRequest request);
}
