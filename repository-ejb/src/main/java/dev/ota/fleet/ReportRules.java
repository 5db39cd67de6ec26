package dev.ota.fleet;

import dev.ota.protocol.Report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pure rules for the install journal entries a check-in carries: each (actionId, seq) is stored once. */
public final class ReportRules {
    private ReportRules() {
    }

    /** An entry's identity: the server keeps one row per device and key. */
    public record ReportKey(String actionId, long seq) {
    }

    /** The reports not yet stored (nor earlier in the same list), in the order the device sent them. */
    public static List<Report> toStore(List<Report> reports, Set<ReportKey> stored) {
        Map<ReportKey, Report> out = new LinkedHashMap<>();
        for (Report r : reports) {
            ReportKey key = new ReportKey(r.actionId(), r.seq());
            if (!stored.contains(key)) out.putIfAbsent(key, r);
        }
        return List.copyOf(out.values());
    }

    /**
     * What the answer acknowledges: per action the highest seq of this check-in, every one of which is stored once
     * the check-in commits; the device drops that action's entries up to it.
     */
    public static Map<String, Long> acks(List<Report> reports) {
        Map<String, Long> acks = new LinkedHashMap<>();
        for (Report r : reports) acks.merge(r.actionId(), r.seq(), Math::max);
        return acks;
    }
}
