package dev.ota.director;

import java.time.Instant;
import java.util.Map;

/**
 * A device's desired configuration as the management API shows it: the properties, the director target that carries
 * them ({@code targetPath}, {@code length}, {@code sha256}), who set it and when, and the director timestamp version
 * that lists it. {@code properties}, {@code targetPath}, {@code length} and {@code sha256} are null once cleared.
 */
public record DesiredConfigView(String deviceId, Map<String, String> properties, String targetPath, Long length,
                                String sha256, String setBy, Instant setAt, long timestampVersion)
        implements java.io.Serializable {
}
