package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.custody.KeyCustody;
import dev.ota.custody.OnlineKey;
import dev.ota.expiry.RepositoryReader;
import dev.ota.expiry.RepositoryStatus;
import dev.ota.fleet.DeviceFilter;
import dev.ota.fleet.DeviceStatus;
import dev.ota.fleet.Inventory;
import dev.ota.rollouts.RolloutView;
import dev.ota.rollouts.Rollouts;
import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Backs {@code app/home.xhtml}, where the portal lands after sign-in: what needs the signed-in person's attention,
 * read from the services their roles open (expiring metadata and who must sign it for everyone; pending devices
 * and rollouts awaiting approval, paused or halted for those who see the fleet; online keys for security officers
 * and auditors), each with a chart where a glance beats reading. The charts are SVG drawn on the server: no
 * script, so the Content-Security-Policy stays as strict as on every other page.
 */
@Named
@ViewScoped
public class HomeView implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Chart geometry, in SVG user units. */
    private static final int LABEL_WIDTH = 110;
    private static final int BAR_SPACE = 300;
    private static final int ROW = 24;

    @EJB
    private transient RepositoryReader repository;

    @EJB
    private transient Inventory inventory;

    @EJB
    private transient Rollouts rollouts;

    @EJB
    private transient KeyCustody custody;

    @Inject
    private transient SecurityContext security;

    @Inject
    private transient Clock clock;

    private final List<Attention> attention = new ArrayList<>();
    private Chart expiryChart = Chart.EMPTY;
    private Chart deviceChart = Chart.EMPTY;
    private Chart rolloutChart = Chart.EMPTY;
    private boolean fleetShown;
    private boolean keysShown;
    private String keysSummary = "";

    /** One thing to look at: what, and the page where it is handled (empty: none in the portal yet). */
    public record Attention(String kind, String text, String outcome) implements Serializable {
    }

    /** One bar of a chart: its label, value as shown, and where it is drawn. */
    public record Bar(String label, String value, int rectY, int textY, int width, int valueX, String fill)
            implements Serializable {
    }

    /** A horizontal bar chart: its bars and its height; {@code title} says what the bars measure. */
    public record Chart(String title, List<Bar> bars, int height) implements Serializable {
        static final Chart EMPTY = new Chart("", List.of(), 0);

        public boolean isEmpty() {
            return bars.isEmpty();
        }

        public int getLabelWidth() {
            return LABEL_WIDTH;
        }

        public int getValueX() {
            return LABEL_WIDTH + BAR_SPACE + 8;
        }
    }

    public void load() {
        Instant now = clock.instant();
        attention.clear();
        metadata(now);
        fleetShown = security.isCallerInRole(Roles.ADMINISTRATOR) || security.isCallerInRole(Roles.RELEASE_MANAGER)
                || security.isCallerInRole(Roles.AUDITOR);
        if (fleetShown) {
            devices();
            rollouts();
        }
        keysShown = KeysView.mayRead(security);
        if (keysShown) {
            keys(now);
        }
    }

    private void metadata(Instant now) {
        RepositoryStatus status = repository.status();
        for (RepositoryStatus.RoleStatus r : status.roles()) {
            if (r.warning() != null) {
                attention.add(new Attention("metadata", r.warning(), "/app/status"));
            }
            if (r.signBy() != null) {
                attention.add(new Attention("signing", r.threshold() + " of " + String.join(", ", r.signers())
                        + " must sign a new " + r.role() + " by " + r.signBy(), "/app/status"));
            }
        }
        Map<String, Long> daysLeft = new LinkedHashMap<>();
        Map<String, String> fills = new LinkedHashMap<>();
        for (RepositoryStatus.RoleStatus r : status.roles()) {
            long days = Math.max(0, Duration.between(now, r.expires()).toDays());
            daysLeft.put(r.role(), days);
            fills.put(r.role(), switch (r.condition()) {
                case "VALID", "DUE" -> "#3b82f6";
                case "EXPIRED" -> "#b91c1c";
                default -> "#d97706";
            });
        }
        expiryChart = chart("Days until each role expires", daysLeft, fills, " d");
    }

    private void devices() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DeviceStatus s : DeviceStatus.values()) {
            counts.put(s.name().toLowerCase(java.util.Locale.ROOT),
                    inventory.count(new DeviceFilter(null, s, Set.of(), Map.of(), null, null, null, null, null, null)));
        }
        long pending = counts.get("pending");
        if (pending > 0) {
            attention.add(new Attention("devices", pending + (pending == 1 ? " device waits" : " devices wait")
                    + " to be accepted or rejected", "/app/pending-devices"));
        }
        deviceChart = chart("Devices by status", counts, Map.of("pending", "#d97706"), "");
    }

    private void rollouts() {
        List<RolloutView> all = rollouts.list();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RolloutView r : all) {
            counts.merge(r.state().toLowerCase(java.util.Locale.ROOT).replace('_', ' '), 1L, Long::sum);
            String what = switch (r.state()) {
                case "AWAITING_APPROVAL" -> "awaits approval by someone other than " + r.createdBy();
                case "PAUSED" -> "is paused";
                case "HALTED" -> "was halted: its error budget ran out";
                default -> null;
            };
            if (what != null) {
                attention.add(new Attention("rollout", "Rollout '" + r.name() + "' (" + r.targetPath() + ") " + what, ""));
            }
        }
        rolloutChart = chart("Rollouts by state (newest " + Rollouts.LIST_LIMIT + ")", counts,
                Map.of("awaiting approval", "#d97706", "paused", "#d97706", "halted", "#b91c1c"), "");
    }

    private void keys(Instant now) {
        List<OnlineKey> inService = custody.list().stream().filter(k -> k.status().equals(OnlineKey.ACTIVE)).toList();
        Instant oldest = inService.stream().map(OnlineKey::created).filter(java.util.Objects::nonNull)
                .min(Instant::compareTo).orElse(null);
        keysSummary = inService.size() + " online keys in service"
                + (oldest == null ? "" : "; the oldest was created " + KeysView.age(Duration.between(oldest, now)) + " ago");
    }

    /** Bars scaled to the largest value (a value of zero draws no bar but keeps its label). */
    static Chart chart(String title, Map<String, Long> values, Map<String, String> fills, String unit) {
        long max = values.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<Bar> bars = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> e : values.entrySet()) {
            int width = max == 0 ? 0 : (int) Math.max(e.getValue() == 0 ? 0 : 2, e.getValue() * BAR_SPACE / max);
            bars.add(new Bar(e.getKey(), e.getValue() + unit, i * ROW + 4, i * ROW + 16, width, LABEL_WIDTH + width + 6,
                    fills.getOrDefault(e.getKey(), "#3b82f6")));
            i++;
        }
        return new Chart(title, List.copyOf(bars), Math.max(ROW, i * ROW));
    }

    public List<Attention> getAttention() {
        return attention;
    }

    public boolean isNothingNeedsAttention() {
        return attention.isEmpty();
    }

    public Chart getExpiryChart() {
        return expiryChart;
    }

    public Chart getDeviceChart() {
        return deviceChart;
    }

    public Chart getRolloutChart() {
        return rolloutChart;
    }

    /** Whether there are rollouts to chart ({@code empty} is a reserved word in EL, hence not {@code chart.empty}). */
    public boolean isRolloutsCharted() {
        return !rolloutChart.isEmpty();
    }

    public boolean isFleetShown() {
        return fleetShown;
    }

    public boolean isKeysShown() {
        return keysShown;
    }

    public String getKeysSummary() {
        return keysSummary;
    }
}
