package dev.ota.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One row of the inventory: what a list shows of a device without its history. {@code installed} maps each
 * ECU id to the target path it last reported running (absent before its first install).
 */
public record DeviceSummary(String deviceId, String hardwareId, DeviceStatus status, String agentVersion,
                            Instant enrolledAt, Instant lastCheckin, String state, Instant stateSince,
                            String stateReason, List<String> tags, Map<String, String> attributes,
                            Map<String, String> installed) implements java.io.Serializable {
    public DeviceSummary {
        tags = List.copyOf(tags);
        attributes = Map.copyOf(attributes);
        installed = Map.copyOf(installed);
    }
}
