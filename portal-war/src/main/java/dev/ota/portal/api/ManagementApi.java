package dev.ota.portal.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** JAX-RS root of the management API, under the portal's context root. */
@ApplicationPath("/api/v1")
public class ManagementApi extends Application {
}
