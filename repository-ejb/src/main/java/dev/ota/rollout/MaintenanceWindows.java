package dev.ota.rollout;

import dev.ota.protocol.DirectorTarget.InstallWindow;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Maintenance-window rules expanded into concrete UTC windows, the {@code installWindows} of a director target
 * (device-api.md): devices never parse rules (fleet.md). Also the open-window time between two instants, which
 * timeouts count (fleet.md: "Timeouts count only open-window time").
 * <p>
 * DST: a window opens at the rule's local time on each of its days, as {@link ZonedDateTime#of} resolves it: a
 * local time that does not exist (spring forward, 02:30 in Berlin) opens as much later as the gap is long (03:30
 * summer time); one that exists twice (fall back) opens at the first. It then stays open for the rule's duration
 * in elapsed time, so a two-hour window is two hours long on every day.
 */
public final class MaintenanceWindows {
    /** The device attribute naming the device's own zone (the same name as the fleet's DeviceFilter.TIME_ZONE). */
    public static final String TIME_ZONE_ATTRIBUTE = "timeZone";

    private MaintenanceWindows() {
    }

    /**
     * The device's own zone from its attributes. A device without a valid one gets UTC: it still installs only
     * inside windows (never "whenever", which would defeat them), at the rule's time read in UTC.
     */
    public static ZoneId deviceZone(Map<String, String> attributes) {
        String id = attributes.get(TIME_ZONE_ATTRIBUTE);
        if (id != null) {
            try {
                return ZoneId.of(id);
            } catch (DateTimeException e) {
                // fall through: the fleet refuses such attributes on the way in; an old row still must not break signing
            }
        }
        return ZoneOffset.UTC;
    }

    /**
     * The windows of {@code rules} that are open at some time in {@code [from, from + days)}, in UTC, sorted and
     * overlapping ones merged. A window already open at {@code from} is included whole (the device may install
     * now). No rules: an empty list, which the director writes as no {@code installWindows} (install when ready).
     */
    public static List<InstallWindow> expand(List<WindowRule> rules, ZoneId deviceZone, Instant from, int days) {
        if (days < 1 || days > 366) {
            throw new IllegalArgumentException("days must be 1 to 366, was " + days);
        }
        return between(rules, deviceZone, from, from.plus(Duration.ofDays(days)));
    }

    /** The merged windows open at some time in {@code [from, to)}. */
    static List<InstallWindow> between(List<WindowRule> rules, ZoneId deviceZone, Instant from, Instant to) {
        List<Instant[]> raw = new ArrayList<>();
        for (WindowRule rule : rules) {
            ZoneId zone = rule.zoneFor(deviceZone);
            // Start a week early: a window of up to a week that opened before `from` may still be open.
            LocalDate day = from.atZone(zone).toLocalDate().minusDays(8);
            LocalDate last = to.atZone(zone).toLocalDate().plusDays(1);
            for (; !day.isAfter(last); day = day.plusDays(1)) {
                if (!rule.days().contains(day.getDayOfWeek())) {
                    continue;
                }
                Instant start = ZonedDateTime.of(day, rule.start(), zone).toInstant();
                Instant end = start.plus(rule.duration());
                if (end.isAfter(from) && start.isBefore(to)) {
                    raw.add(new Instant[] {start, end});
                }
            }
        }
        raw.sort(Comparator.comparing(w -> w[0]));
        List<InstallWindow> merged = new ArrayList<>();
        Instant s = null;
        Instant e = null;
        for (Instant[] w : raw) {
            if (s != null && !w[0].isAfter(e)) {
                e = w[1].isAfter(e) ? w[1] : e;
                continue;
            }
            if (s != null) {
                merged.add(new InstallWindow(s, e));
            }
            s = w[0];
            e = w[1];
        }
        if (s != null) {
            merged.add(new InstallWindow(s, e));
        }
        return merged;
    }

    /**
     * Open-window time in {@code [from, to)}: the whole span when there are no rules (no windows: always open),
     * minus the spans in {@code excluded} (e.g. while the device was held as critical, which is waiting, not
     * slowness). Excluded spans may overlap each other and the windows.
     */
    public static Duration openTime(List<WindowRule> rules, ZoneId deviceZone, Instant from, Instant to,
                                    List<Span> excluded) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        List<Instant[]> open = new ArrayList<>();
        if (rules.isEmpty()) {
            open.add(new Instant[] {from, to});
        } else {
            for (InstallWindow w : between(rules, deviceZone, from, to)) {
                open.add(new Instant[] {max(w.start(), from), min(w.end(), to)});
            }
        }
        Duration total = Duration.ZERO;
        for (Instant[] o : open) {
            total = total.plus(Duration.between(o[0], o[1]));
        }
        // Subtract the union of the excluded spans clipped to each open span; windows are disjoint after merging.
        List<Span> ex = new ArrayList<>(excluded);
        ex.sort(Comparator.comparing(Span::start));
        for (Instant[] o : open) {
            Instant covered = o[0];
            for (Span x : ex) {
                Instant s = max(max(x.start(), o[0]), covered);
                Instant e = min(x.end(), o[1]);
                if (e.isAfter(s)) {
                    total = total.minus(Duration.between(s, e));
                    covered = e;
                }
            }
        }
        return total;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
