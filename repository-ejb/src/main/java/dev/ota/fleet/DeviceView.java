package dev.ota.fleet;

import jakarta.json.bind.annotation.JsonbNillable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A device as the management API shows it: identity, status, what its last accepted check-in said (state, ECUs
 * and their installed images), its newest reports and kept configuration versions. Null where nothing is known
 * yet (before the first check-in), and then shown as null rather than left out.
 */
@JsonbNillable
public record DeviceView(String deviceId, String hardwareId, DeviceStatus status, String keyId, String agentVersion,
                         Instant enrolledAt, Instant statusChangedAt, Instant lastCheckin, Long lastCounter,
                         String state, Instant stateSince, String stateReason, Map<String, EcuView> ecus,
                         Long directorTimestampVersion, Long reportedConfigVersion, List<String> tags,
                         Map<String, String> attributes, List<ReportView> reports,
                         List<ConfigVersionView> configVersions) {

    /** One ECU as last reported: its hardware, the image it runs (null before its first install), attacks seen. */
    public record EcuView(String hardwareId, InstalledImageView installed, String attacksDetected) {
    }

    /** The image an ECU runs, as the image repository lists it. */
    public record InstalledImageView(String filepath, long length, Map<String, String> hashes, Long releaseCounter) {
    }

    /** One install journal entry as stored once. */
    public record ReportView(String actionId, long seq, String state, Instant at, String detail, Instant receivedAt,
                             long checkinCounter) {
    }
}
