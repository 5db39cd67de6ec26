package dev.ota.deviceapi;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** JAX-RS root of the device API; the WAR's context root is {@code /}. */
@ApplicationPath("/")
public class DeviceApi extends Application {
}
