package dev.ota.director;

import java.time.Instant;

/**
 * One order as a person reads it on the device page: what was ordered ({@code targetPath} null for a
 * cancellation), its action id and attempt, and who ordered it when. The newest entry is the order in force.
 */
public record OrderHistoryEntry(String targetPath, String actionId, int attempt, String assignedBy, Instant assignedAt) {
    public boolean cancellation() {
        return targetPath == null;
    }
}
