package dev.ota.schedule;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The job rows' transitions, each in a transaction of its own under the row's lock, so that two servers
 * deciding at once see each other's claim: the second one waits for the first to commit, then reads a held
 * lease and backs off.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class JobLeases {
    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    /** Claims {@code job} for {@code server} when it is due and free; the claimed lease, or empty. */
    public Optional<JobLease> claim(String job, String server, Instant now, Duration lease) {
        ScheduledJob row = row(job);
        Optional<JobLease> claimed = row.lease().claim(server, now, lease);
        claimed.ifPresent(l -> row.claimed(l, now));
        return claimed;
    }

    /**
     * Records the end of a run {@code server} claimed at {@code startedAt}; {@code failure} is null after a
     * success. False when the server had lost the lease meanwhile (its outcome is not recorded).
     */
    public boolean finish(String job, String server, Instant startedAt, Duration interval, Instant now,
                          String failure) {
        ScheduledJob row = row(job);
        Optional<JobLease> released = row.lease().finish(server, startedAt, interval);
        released.ifPresent(l -> row.finished(l, now, failure));
        return released.isPresent();
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public JobStatus status(String job) {
        ScheduledJob row = em.find(ScheduledJob.class, job);
        if (row == null) {
            throw missing(job);
        }
        return row.status();
    }

    private ScheduledJob row(String job) {
        ScheduledJob row = em.find(ScheduledJob.class, job, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            throw missing(job);
        }
        return row;
    }

    private static IllegalStateException missing(String job) {
        // A bug, not an operating condition: every job's row comes with the schema script that introduced it.
        return new IllegalStateException("no scheduled_job row for job '" + job + "'; a schema script must add it");
    }
}
