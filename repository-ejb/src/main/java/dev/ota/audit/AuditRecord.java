package dev.ota.audit;

import java.time.Instant;

/** An audit entry as the rest of the application sees it. */
public record AuditRecord(long seq, Instant recordedAt, String actor, String action, String subject,
                          Outcome outcome, String detail) {

    /** Whether the recorded attempt changed anything. */
    public enum Outcome {
        SUCCESS,
        DENIED,
        FAILED
    }
}
