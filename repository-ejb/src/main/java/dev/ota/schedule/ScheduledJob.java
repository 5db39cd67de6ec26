package dev.ota.schedule;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One job's row: its schedule and lease ({@link JobLease}) and what its last run did, for operators.
 * A job's row comes with the schema script that introduces the job, so servers never race to create it.
 */
@Entity
@Table(name = "scheduled_job")
class ScheduledJob {
    @Id
    private String name;

    @Column(name = "next_run_at", nullable = false)
    private Instant nextRunAt;

    @Column(name = "lease_holder")
    private String leaseHolder;

    @Column(name = "lease_until")
    private Instant leaseUntil;

    @Column(name = "runs", nullable = false)
    private long runs;

    @Column(name = "last_holder")
    private String lastHolder;

    @Column(name = "last_started_at")
    private Instant lastStartedAt;

    @Column(name = "last_succeeded_at")
    private Instant lastSucceededAt;

    @Column(name = "last_failed_at")
    private Instant lastFailedAt;

    @Column(name = "last_failure")
    private String lastFailure;

    protected ScheduledJob() {
    }

    JobLease lease() {
        return new JobLease(name, nextRunAt, leaseHolder, leaseUntil);
    }

    void claimed(JobLease lease, Instant now) {
        apply(lease);
        runs++;
        lastHolder = lease.holder();
        lastStartedAt = now;
    }

    void finished(JobLease lease, Instant now, String failure) {
        apply(lease);
        if (failure == null) {
            lastSucceededAt = now;
        } else {
            lastFailedAt = now;
            lastFailure = failure.length() > 500 ? failure.substring(0, 500) : failure;
        }
    }

    JobStatus status() {
        return new JobStatus(name, nextRunAt, leaseHolder, runs, lastHolder, lastStartedAt, lastSucceededAt,
                lastFailedAt, lastFailure);
    }

    private void apply(JobLease lease) {
        nextRunAt = lease.nextRunAt();
        leaseHolder = lease.holder();
        leaseUntil = lease.leaseUntil();
    }
}
