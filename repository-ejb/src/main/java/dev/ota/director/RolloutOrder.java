package dev.ota.director;

/** A member of a rollout's batch the director is asked to order: its device and the attempt number it signs. */
public record RolloutOrder(String deviceId, int attempt) {
}
