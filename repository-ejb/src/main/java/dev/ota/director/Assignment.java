package dev.ota.director;

/**
 * An order for one device: install {@code image}. {@code ecuId} is the ECU the device reports it under (its
 * primary ECU, named by the device id); {@code installPolicy} as device-api.md ("respect-busy" for now).
 */
public record Assignment(String deviceId, String ecuId, String hardwareId, ListedImage image, String actionId,
                         int attempt, String installPolicy) {
    public static final String RESPECT_BUSY = "respect-busy";
}
