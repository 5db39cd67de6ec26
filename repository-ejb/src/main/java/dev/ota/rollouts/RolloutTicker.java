package dev.ota.rollouts;

import dev.ota.repository.Settings;
import dev.ota.schedule.ExclusiveJobs;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PessimisticLockException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives running rollouts (fleet.md, decision 5): every server ticks, and the scheduled job {@value #JOB}'s
 * lease ({@link ExclusiveJobs}) lets exactly one of them decide at a time, taken over by another when it dies.
 * Each rollout's decision is its own transaction with a compare-and-set, so a tick that loses a race to an
 * operator's command changes nothing and the next tick decides again.
 */
@Singleton
@Startup
@DependsOn("FirstStart")
public class RolloutTicker {
    /** The scheduled job's name, as in its {@code scheduled_job} row (V11). */
    public static final String JOB = "rollout.tick";
    private static final Logger LOG = Logger.getLogger(RolloutTicker.class.getName());
    private static final Duration INTERVAL = Settings.rolloutTickInterval();
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration ORDERING_BUDGET = LEASE.dividedBy(3);
    /** How much of a failure's message an audit entry keeps. */
    private static final int MAX_DESCRIPTION = 300;

    @Resource
    private TimerService timers;

    @EJB
    private ExclusiveJobs jobs;

    @EJB
    private Rollouts rollouts;

    @PostConstruct
    void schedule() {
        timers.createIntervalTimer(INTERVAL.toMillis(), INTERVAL.toMillis(), new TimerConfig("rollout tick", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        try {
            // Due half an interval after the last run: the lease's next due time is the last start plus the
            // interval, so a timer firing a few milliseconds early would otherwise skip a whole tick.
            jobs.runIfDue(JOB, INTERVAL.dividedBy(2), LEASE, () -> {
                long until = System.nanoTime() + ORDERING_BUDGET.toNanos();
                // Decisions first, each cheap, so an error budget trips on time however much signing waits; then
                // withdrawals (a cancelled rollout's devices should stop before others get new orders), then orders,
                // the two sharing the run's budget.
                List<String> running = rollouts.running();
                for (String id : running) {
                    // One rollout's trouble (a lost race, a refused device) must not stop the others; nor a failed
                    // tick its orders: the members of its started waves are ordered all the same.
                    try {
                        rollouts.tick(id);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "rollout " + id + ": tick failed; the next tick decides again", e);
                    }
                }
                for (String id : rollouts.withdrawing()) {
                    try {
                        while (rollouts.withdrawCancelled(id) && System.nanoTime() < until) {
                            // next batch
                        }
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "rollout " + id + ": withdrawing orders failed; the next tick goes on", e);
                    }
                }
                for (String id : running) {
                    try {
                        orderScheduled(id, until);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "rollout " + id + ": ordering failed; the next run goes on", e);
                    }
                }
                return Boolean.TRUE;
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "rollout tick failed; retrying at the next one", e);
        }
    }

    /**
     * The rollout's waiting members, batch after batch, each its own transaction (Rollouts.orderScheduled), until
     * the run's {@link #ORDERING_BUDGET} (shared by all rollouts of one run, so the run ends well inside its
     * lease) is spent; the next run goes on where this one stopped, each rollout getting at least one batch. A
     * work budget, not a time in the rollouts' model, so it is measured on the machine's timer, not the clock.
     */
    private void orderScheduled(String id, long until) {
        boolean more;
        do {
            try {
                more = rollouts.orderScheduled(id);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rollout " + id + ": a batch of orders failed; ordering its devices one by one", e);
                more = orderOneByOne(id);
            }
        } while (more && System.nanoTime() < until);
    }

    /**
     * The fallback for a batch that rolled back: its devices each in a transaction of their own, so one device
     * whose ordering throws (its stored data unreadable, a signing error) cannot hold the others back; such a device
     * is SKIPPED (Rollouts.skipUnorderable, audited), else every run would pick it first again and the wave, never
     * without waiting members, would never pass. A lost lock race is no fault of the device: it waits for the next
     * run. Whether the batch was full, so more members may be waiting.
     */
    private boolean orderOneByOne(String id) {
        List<Long> batch = rollouts.nextBatch(id);
        for (long action : batch) {
            try {
                rollouts.orderOne(id, action);
            } catch (RuntimeException e) {
                Throwable cause = rootCause(e);
                if (lockRace(e)) {
                    LOG.log(Level.WARNING, "rollout " + id + ": action " + action + " lost a lock race; next run", e);
                } else {
                    LOG.log(Level.WARNING, "rollout " + id + ": action " + action + " cannot be ordered; skipped", e);
                    rollouts.skipUnorderable(id, action, describe(cause));
                }
            }
        }
        return batch.size() == Settings.rolloutOrderBatch();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean lockRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PessimisticLockException || t instanceof LockTimeoutException
                    || t instanceof OptimisticLockException || t instanceof SQLTransientException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The failure as the audit entry names it: its class and message on one line, shortened. The code's exception
     * messages carry no key material (project rule), and only the root cause's is kept, not a stack.
     */
    static String describe(Throwable cause) {
        String text = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        text = text.replaceAll("\\p{Cntrl}+", " ");
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION) + "...";
    }
}
