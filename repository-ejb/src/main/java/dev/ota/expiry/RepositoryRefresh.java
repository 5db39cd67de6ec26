package dev.ota.expiry;

import dev.ota.publishing.RefreshOutcome;
import dev.ota.publishing.RepositoryPublisher;
import dev.ota.repository.Settings;
import dev.ota.schedule.ExclusiveJobs;
import dev.ota.schedule.JobStatus;
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
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-signs every role this server holds the keys for before it expires, without any new release:
 * hash bins, snapshot and timestamp always; top-level targets and root too in embedded mode, where
 * the keystore holds their keys. The re-signing is the scheduled job {@value #JOB}: every server ticks,
 * and the job's lease ({@link ExclusiveJobs}) lets exactly one of them run each due check, on its
 * schedule across restarts, taken over by another server when the one running it dies. A role is due
 * within its margin ({@code Expiries.refreshMargin}: half the timestamp's validity for online roles, so
 * a client never meets expired metadata even if one check is missed; the earlier of 30 days or half the
 * validity for root and targets).
 * <p>
 * Every server, at every tick, reads the served roles' expiries into its own {@link ExpiryWatch}, which
 * the status API and the readiness check read; a due role this server cannot sign, or a re-signing job
 * that keeps failing on whichever server runs it, is logged as a warning when the warnings change and
 * again every hour while they last.
 */
@Singleton
@Startup
@DependsOn("FirstStart")
public class RepositoryRefresh {
    /** The scheduled job's name, as in its {@code scheduled_job} row. */
    public static final String JOB = "metadata.refresh";
    private static final Logger LOG = Logger.getLogger(RepositoryRefresh.class.getName());
    private static final Duration REPEAT_WARNING = Duration.ofHours(1);
    private static final Duration LONGEST_TICK = Duration.ofSeconds(10);

    @Resource
    private TimerService timers;

    @EJB
    private RepositoryPublisher publisher;

    @EJB
    private RepositoryReader reader;

    @EJB
    private ExpiryWatch watch;

    @EJB
    private ExclusiveJobs jobs;

    @Inject
    private Clock clock;

    private final Duration interval = Settings.refreshCheckInterval();
    private final Duration lease = Settings.jobLease();
    private List<String> lastWarnings = List.of();
    private Instant lastWarned = Instant.MIN;
    /** When this server last read the served roles' expiries into its watch; null before the first tick. */
    private Instant lastLook;

    @PostConstruct
    void schedule() {
        Duration timestampValidity = Settings.expiries().timestamp();
        if (timestampValidity.dividedBy(2).compareTo(interval.multipliedBy(2)) < 0) {
            LOG.warning(() -> "OTA_REFRESH_CHECK_SECONDS (" + interval.toSeconds() + " s) is long for a timestamp"
                    + " valid " + timestampValidity + "; clients may see it expire between checks");
        }
        // Ticks come more often than the job is due, so a due job waits at most one tick; the first tick
        // comes at once, since readiness waits for this server's first look at the expiries.
        Duration tick = interval.compareTo(LONGEST_TICK) < 0 ? interval : LONGEST_TICK;
        timers.createIntervalTimer(1000, tick.toMillis(), new TimerConfig("metadata refresh", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        try {
            RefreshOutcome outcome = jobs.runIfDue(JOB, interval, lease, publisher::refreshExpiring);
            if (outcome != null && !outcome.resigned().isEmpty()) {
                LOG.info(() -> "re-signed before expiry: " + outcome.resigned());
            }
            Instant now = clock.instant();
            // Ticks come more often than the interval; this server's own look at the expiries (one query
            // per bin) need not: once per interval, or at once when this server just ran the job.
            if (outcome != null || lastLook == null || !now.isBefore(lastLook.plus(interval))) {
                watch.checked(outcome != null ? outcome.roles() : reader.servedRoles(), now);
                lastLook = now;
                JobStatus job = jobs.status(JOB);
                if (job.lastRunFailed()) {
                    // Whichever server ran it: every server's status and readiness tell the same story.
                    watch.failed(job.lastFailedAt());
                }
            }
        } catch (RuntimeException e) {
            watch.failed(clock.instant());
            // The next tick tries again; the served metadata stays valid until its expiry.
            LOG.log(Level.WARNING, "metadata refresh failed; retrying at the next check", e);
        }
        warnIfNeeded(watch.report(clock.instant()));
    }

    private void warnIfNeeded(ExpiryReport report) {
        List<String> warnings = report.warnings();
        Instant now = clock.instant();
        boolean changed = !warnings.equals(lastWarnings);
        if (!warnings.isEmpty() && (changed || now.isAfter(lastWarned.plus(REPEAT_WARNING)))) {
            Level level = report.expired() ? Level.SEVERE : Level.WARNING;
            List<String> signing = report.signingNeeded();
            LOG.log(level, "TUF metadata needs attention (also in GET /portal/api/v1/repository and /health/ready): {0}",
                    String.join("; ", warnings) + (signing.isEmpty() ? "" : ". Signing needed: " + String.join("; ", signing)));
            lastWarned = now;
        } else if (warnings.isEmpty() && changed) {
            LOG.info("TUF metadata expiry warnings cleared");
        }
        lastWarnings = warnings;
    }
}
