package dev.ota.deviceapi;

import dev.ota.expiry.ExpiryReport;
import dev.ota.expiry.ExpiryWatch;
import dev.ota.publishing.RoleExpiry;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: DOWN once any served metadata has expired (devices cannot update from this
 * server, so a load balancer should prefer another) or before this server's first expiry check; UP
 * otherwise, with each role's expiry, whether this server re-signs it, and a {@code warning} when a
 * role needs its officers or re-signing is failing. Readiness, not liveness: restarting the server
 * fixes neither an offline key nor a failing database, and would only loop.
 * <p>
 * The answer is public (no credentials), so it carries only what the served metadata already
 * shows (role names, versions, expiry times) and fixed sentences: no key ids, paths or exception
 * messages. It reads the last check's facts from memory, never the database.
 */
@Readiness
@ApplicationScoped
public class MetadataExpiryCheck implements HealthCheck {
    @EJB
    private ExpiryWatch watch;

    @Inject
    private Clock clock;

    @Override
    public HealthCheckResponse call() {
        ExpiryReport report = watch.report(clock.instant());
        HealthCheckResponseBuilder b = HealthCheckResponse.named("tuf-metadata-expiry").status(report.ready());
        if (report.checkedAt() != null) {
            b.withData("checkedAt", report.checkedAt().toString());
        }
        for (ExpiryReport.Condition c : report.roles()) {
            RoleExpiry r = c.role();
            b.withData(r.role() + ".expires", r.expires().toString());
            b.withData(r.role() + ".version", r.version());
            b.withData(r.role() + ".serverCanResign", r.serverCanResign());
            b.withData(r.role() + ".condition", c.condition());
            if (c.signBy() != null) {
                // When, not who: the names of key holders are for signed-in people (status page and API).
                b.withData(r.role() + ".signBy", c.signBy().toString());
            }
        }
        if (!report.warnings().isEmpty()) {
            b.withData("warning", String.join("; ", report.warnings()));
        }
        return b.build();
    }
}
