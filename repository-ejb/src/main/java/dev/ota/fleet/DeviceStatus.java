package dev.ota.fleet;

/** Where a device stands with the server (fleet.md, "Fleet"); only an ACCEPTED device checks in. */
public enum DeviceStatus {
    PENDING, ACCEPTED, REJECTED, DECOMMISSIONED
}
