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
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-signs snapshot, timestamp and hash bins before they expire, without any new release. Every
 * server runs this timer (non-persistent: EJB Lite); the publisher's row lock on the head makes
 * the servers take turns, and whoever comes second finds nothing due. A role is due when less than
 * half of the timestamp's validity is left, so a client never meets expired metadata even if one
 * check is missed.
 */
@Singleton
@Startup
@DependsOn("FirstStart")
public class RepositoryRefresh {
    private static final Logger LOG = Logger.getLogger(RepositoryRefresh.class.getName());

    @Resource
    private TimerService timers;

    @EJB
    private RepositoryPublisher publisher;

    private Duration margin;

    @PostConstruct
    void schedule() {
        Duration interval = Settings.refreshCheckInterval();
        Duration timestampValidity = Settings.expiries().timestamp();
        margin = timestampValidity.dividedBy(2);
        if (margin.compareTo(interval.multipliedBy(2)) < 0) {
            LOG.warning(() -> "OTA_REFRESH_CHECK_SECONDS (" + interval.toSeconds() + " s) is long for a timestamp"
                    + " valid " + timestampValidity + "; clients may see it expire between checks");
        }
        timers.createIntervalTimer(interval.toMillis(), interval.toMillis(), new TimerConfig("metadata refresh", false));
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void refresh() {
        try {
            List<String> resigned = publisher.refreshExpiring(margin);
            if (!resigned.isEmpty()) {
                LOG.info(() -> "re-signed before expiry: " + resigned);
            }
        } catch (RuntimeException e) {
            // The next tick tries again; the served metadata stays valid until its expiry.
            LOG.log(Level.WARNING, "metadata refresh failed; retrying at the next check", e);
        }
    }
}
