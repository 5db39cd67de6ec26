package dev.ota.ceremony;

import dev.ota.ceremony.CeremonyViews.TargetsProposalView;
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
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Asks the officers for the next top-level targets version before it expires, once officers hold it: the server
 * re-signs every role it holds the keys for ({@link dev.ota.expiry.RepositoryRefresh}) but must never sign offline
 * targets, so at each check it proposes targets N+1 when targets is within its renewal margin and nothing is pending
 * ({@link TargetsCeremonies#proposeRenewalIfDue}). Checks as often as the expiry refresh, at most every 10 seconds.
 */
@Singleton
@Startup
@DependsOn("FirstStart")
public class TargetsRenewal {
    private static final Logger LOG = Logger.getLogger(TargetsRenewal.class.getName());
    private static final Duration LONGEST_TICK = Duration.ofSeconds(10);

    @Resource
    private TimerService timers;

    /** The scheduled job's name, as in its {@code scheduled_job} row (V16). */
    public static final String JOB = "targets.renewal";
    private static final Duration LEASE = Duration.ofMinutes(5);

    @EJB
    private TargetsCeremonies ceremonies;

    @EJB
    private ExclusiveJobs jobs;

    private Duration tick;

    @PostConstruct
    void schedule() {
        Duration interval = Settings.refreshCheckInterval();
        tick = interval.compareTo(LONGEST_TICK) < 0 ? interval : LONGEST_TICK;
        timers.createIntervalTimer(tick.toMillis(), tick.toMillis(), new TimerConfig("targets renewal", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        try {
            // One server at a time: two checks at once would each find nothing pending and propose twice, and officers
            // could split their signatures between the two. Due half a tick after the last run, so a timer firing a
            // little early still runs.
            TargetsProposalView proposed = jobs.runIfDue(JOB, tick.dividedBy(2), LEASE, ceremonies::proposeRenewalIfDue);
            if (proposed != null) {
                LOG.warning(() -> "top-level targets expires at " + proposed.diff().expiresBefore() + ": proposed "
                        + proposed.id() + " (targets version " + proposed.version() + ") for its officers to sign");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "targets renewal check failed; the next check tries again", e);
        }
    }
}
