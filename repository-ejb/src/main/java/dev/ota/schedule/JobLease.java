package dev.ota.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A job's schedule and lease as stored, and the pure rules over them: when a server may claim the job and
 * what the row says after a claim and after a run. The service applies these under the row's lock, which
 * makes each transition a compare-and-set.
 *
 * @param holder the server running the job now, or null
 * @param leaseUntil until when that holder's claim stands; after it, the claim is void (the holder died)
 */
public record JobLease(String name, Instant nextRunAt, String holder, Instant leaseUntil) {
    public JobLease {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nextRunAt, "nextRunAt");
        if ((holder == null) != (leaseUntil == null)) {
            throw new IllegalArgumentException("a holder needs a lease end and a lease end a holder");
        }
    }

    /** Due, and nobody holds a live lease: the job may be claimed by {@code server} at {@code now}. */
    public boolean claimableBy(String server, Instant now) {
        if (nextRunAt.isAfter(now)) {
            return false;
        }
        return holder == null || !leaseUntil.isAfter(now) || holder.equals(server);
    }

    /** The row after {@code server} claimed it at {@code now} for at most {@code lease}; empty when it may not. */
    public Optional<JobLease> claim(String server, Instant now, Duration lease) {
        if (!claimableBy(server, now)) {
            return Optional.empty();
        }
        return Optional.of(new JobLease(name, nextRunAt, server, now.plus(lease)));
    }

    /**
     * The row after {@code server} finished a run it claimed at {@code startedAt}: the next run is one
     * interval after the start (so the period does not drift by the run's length), the lease is released.
     * Empty when the server no longer holds the lease (it ran past it and another server claimed the job):
     * that server's schedule stands.
     */
    public Optional<JobLease> finish(String server, Instant startedAt, Duration interval) {
        if (!server.equals(holder)) {
            return Optional.empty();
        }
        return Optional.of(new JobLease(name, startedAt.plus(interval), null, null));
    }
}
