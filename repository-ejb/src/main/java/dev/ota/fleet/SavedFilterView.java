package dev.ota.fleet;

import java.time.Instant;

/** A saved filter (group) as the management API and the portal show it. */
public record SavedFilterView(String name, DeviceFilter filter, String createdBy, Instant createdAt,
                              String updatedBy, Instant updatedAt) {
}
