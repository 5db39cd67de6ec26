package dev.ota.portal;

import dev.ota.expiry.RepositoryReader;
import dev.ota.expiry.RepositoryStatus;
import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Backs {@code app/status.xhtml}: roles, versions, expiry countdown and key ids. */
@Named
@ViewScoped
public class StatusView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient RepositoryReader repository;

    @Inject
    private transient Clock clock;

    private List<RoleRow> roles = List.of();
    private String summary = "";
    private List<String> warnings = List.of();

    /** One table row, with every display value computed here rather than in EL. */
    public record RoleRow(String role, long version, String expires, String countdown, String styleClass, String keys,
                          String condition, String signing)
            implements Serializable {
        public String getCondition() {
            return condition;
        }

        /** Who must sign a new version by when; empty unless the role needs its officers. */
        public String getSigning() {
            return signing;
        }

        public String getRole() {
            return role;
        }

        public long getVersion() {
            return version;
        }

        public String getExpires() {
            return expires;
        }

        public String getCountdown() {
            return countdown;
        }

        public String getStyleClass() {
            return styleClass;
        }

        public String getKeys() {
            return keys;
        }
    }

    public void load() {
        RepositoryStatus status = repository.status();
        Instant now = clock.instant();
        roles = status.roles().stream().map(r -> {
            Duration left = Duration.between(now, r.expires());
            String style = left.isNegative() ? "expired" : left.toHours() < 24 ? "expiring" : "valid";
            String keys = String.join(", ", r.keyIds().stream().map(k -> k.substring(0, 12)).toList())
                    + " (" + r.threshold() + " of " + r.keyIds().size() + ")";
            String signing = r.signBy() == null ? "" : r.threshold() + " of " + String.join(", ", r.signers())
                    + " by " + r.signBy();
            return new RoleRow(r.role(), r.version(), r.expires().toString(), countdown(left), style, keys,
                    r.condition(), signing);
        }).toList();
        summary = status.binCount() + " hash bins, " + status.listedTargets() + " targets listed";
        warnings = status.warnings();
    }

    static String countdown(Duration left) {
        if (left.isNegative()) {
            return "expired " + format(left.negated()) + " ago";
        }
        return format(left);
    }

    private static String format(Duration d) {
        long days = d.toDays();
        if (days > 0) {
            return days + " d " + d.toHoursPart() + " h";
        }
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }

    public List<RoleRow> getRoles() {
        return roles;
    }

    public String getSummary() {
        return summary;
    }

    /** What needs attention before metadata expires (officers to sign, failing re-signing, expired roles). */
    public List<String> getWarnings() {
        return warnings;
    }
}
