package dev.ota.director;

/**
 * An order as the management API shows it: {@code targetPath} null for a cancellation; {@code timestampVersion}
 * the director timestamp version that carries it (what the device's next check-in answer names).
 */
public record AssignmentView(String deviceId, String targetPath, String actionId, int attempt, long timestampVersion) {
}
