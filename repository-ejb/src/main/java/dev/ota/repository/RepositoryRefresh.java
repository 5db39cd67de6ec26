package dev.ota.repository;

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
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-signs every role this server holds the keys for before it expires, without any new release:
 * hash bins, snapshot and timestamp always; top-level targets and root too in embedded mode, where
 * the keystore holds their keys. Every server runs this timer (non-persistent: EJB Lite); the
 * publisher's row lock on the head makes the servers take turns, and whoever comes second finds
 * nothing due. A role is due within its margin ({@code Expiries.refreshMargin}: half the
 * timestamp's validity for online roles, so a client never meets expired metadata even if one check
 * is missed; the earlier of 30 days or half the validity for root and targets).
 * <p>
 * Each check's outcome goes to the {@link ExpiryWatch}, which the status API and the readiness
 * check read; a due role this server cannot sign is logged as a warning when the warnings change
 * and again every hour while they last.
 */
@Singleton
@Startup
@DependsOn("FirstStart")
public class RepositoryRefresh {
    private static final Logger LOG = Logger.getLogger(RepositoryRefresh.class.getName());
    private static final Duration REPEAT_WARNING = Duration.ofHours(1);

    @Resource
    private TimerService timers;

    @EJB
    private RepositoryPublisher publisher;

    @EJB
    private ExpiryWatch watch;

    private List<String> lastWarnings = List.of();
    private Instant lastWarned = Instant.MIN;

    @PostConstruct
    void schedule() {
        Duration interval = Settings.refreshCheckInterval();
        Duration timestampValidity = Settings.expiries().timestamp();
        if (timestampValidity.dividedBy(2).compareTo(interval.multipliedBy(2)) < 0) {
            LOG.warning(() -> "OTA_REFRESH_CHECK_SECONDS (" + interval.toSeconds() + " s) is long for a timestamp"
                    + " valid " + timestampValidity + "; clients may see it expire between checks");
        }
        // The first check runs at once: after downtime something may already be due, and readiness
        // waits for a first check.
        timers.createIntervalTimer(1000, interval.toMillis(), new TimerConfig("metadata refresh", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void refresh() {
        try {
            RefreshOutcome outcome = publisher.refreshExpiring();
            watch.checked(outcome.roles(), outcome.checkedAt());
            if (!outcome.resigned().isEmpty()) {
                LOG.info(() -> "re-signed before expiry: " + outcome.resigned());
            }
        } catch (RuntimeException e) {
            watch.failed(Instant.now());
            // The next tick tries again; the served metadata stays valid until its expiry.
            LOG.log(Level.WARNING, "metadata refresh failed; retrying at the next check", e);
        }
        warnIfNeeded(watch.report(Instant.now()));
    }

    private void warnIfNeeded(ExpiryReport report) {
        List<String> warnings = report.warnings();
        Instant now = Instant.now();
        boolean changed = !warnings.equals(lastWarnings);
        if (!warnings.isEmpty() && (changed || now.isAfter(lastWarned.plus(REPEAT_WARNING)))) {
            Level level = report.expired() ? Level.SEVERE : Level.WARNING;
            LOG.log(level, "TUF metadata needs attention (also in GET /portal/api/v1/repository and /health/ready): {0}",
                    String.join("; ", warnings));
            lastWarned = now;
        } else if (warnings.isEmpty() && changed) {
            LOG.info("TUF metadata expiry warnings cleared");
        }
        lastWarnings = warnings;
    }
}
