package dev.ota.schedule;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a job when it is due, on whichever server asks first: every server calls {@link #runIfDue} from its
 * own local timer, and the lease makes exactly one of them run each due occurrence. The claim and the
 * outcome are committed on their own, so the work runs in transactions of its own between them.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ExclusiveJobs {
    private static final Logger LOG = Logger.getLogger(ExclusiveJobs.class.getName());

    @EJB
    private JobLeases leases;

    @Inject
    private Clock clock;

    /**
     * Runs {@code work} if {@code job} is due and no other server holds it.
     *
     * @param interval from one run's start to the next one's due time
     * @param lease    how long a run may take before other servers consider its server dead and take over
     * @return what {@code work} returned, or null when this server did not run it now
     * @throws RuntimeException what {@code work} threw, after recording the failure (the job stays on its
     *                          schedule: the next due time is one interval after this start)
     */
    public <T> T runIfDue(String job, Duration interval, Duration lease, Supplier<T> work) {
        Instant started = clock.instant();
        if (leases.claim(job, ServerIdentity.NAME, started, lease).isEmpty()) {
            return null;
        }
        try {
            T result = work.get();
            record(job, started, interval, null);
            return result;
        } catch (RuntimeException e) {
            record(job, started, interval, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    /** The job's row as it is now. */
    public JobStatus status(String job) {
        return leases.status(job);
    }

    private void record(String job, Instant started, Duration interval, String failure) {
        if (!leases.finish(job, ServerIdentity.NAME, started, interval, clock.instant(), failure)) {
            LOG.log(Level.WARNING, "job {0} ran longer than its lease; another server has taken it over", job);
        }
    }
}
