package dev.ota.schedule;

import java.time.Instant;

/** What a job's row says, for status pages, health checks and tests. Times are null before the first event. */
public record JobStatus(String name, Instant nextRunAt, String leaseHolder, long runs, String lastHolder,
                        Instant lastStartedAt, Instant lastSucceededAt, Instant lastFailedAt, String lastFailure) {

    /** The last run failed (and none succeeded after it). */
    public boolean lastRunFailed() {
        return lastFailedAt != null && (lastSucceededAt == null || lastFailedAt.isAfter(lastSucceededAt));
    }
}
