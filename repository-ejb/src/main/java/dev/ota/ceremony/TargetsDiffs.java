package dev.ota.ceremony;

import dev.ota.ceremony.CeremonyViews.CeremonyKey;
import dev.ota.ceremony.CeremonyViews.DelegationChange;
import dev.ota.ceremony.CeremonyViews.TargetsDiff;
import dev.ota.tuf.metadata.DelegatedRole;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.Targets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What officers read before they sign a targets proposal: per delegation (in priority order) its keys by id and
 * holder, threshold and paths before and after, and the expiry. Succinct hash bins are one entry, named
 * {@code prefix-*}, whose "paths" say how many bins. Pure.
 */
final class TargetsDiffs {
    static final String ADDED = "added";
    static final String REMOVED = "removed";
    static final String CHANGED = "changed";
    static final String UNCHANGED = "unchanged";

    private TargetsDiffs() {
    }

    /** One delegation as the diff compares it. */
    private record Entry(int threshold, Map<String, Key> keys, List<String> paths) {
    }

    static TargetsDiff diff(Targets before, Targets after, Map<String, String> holders) {
        Map<String, Entry> was = entries(before.delegations());
        Map<String, Entry> is = entries(after.delegations());
        List<DelegationChange> changes = new ArrayList<>();
        is.forEach((name, e) -> changes.add(change(name, was.get(name), e, holders)));
        was.forEach((name, e) -> {
            if (!is.containsKey(name)) changes.add(change(name, e, null, holders));
        });
        return new TargetsDiff(Math.toIntExact(before.version()), Math.toIntExact(after.version()), before.expires(),
                after.expires(), before.targets().size(), after.targets().size(), changes);
    }

    private static DelegationChange change(String name, Entry was, Entry is, Map<String, String> holders) {
        KeySplit keys = KeySplit.of(was == null ? Map.of() : was.keys(), is == null ? Map.of() : is.keys(), holders, holders);
        String change = was == null ? ADDED : is == null ? REMOVED : was.equals(is) ? UNCHANGED : CHANGED;
        return new DelegationChange(name, change, was == null ? 0 : was.threshold(), is == null ? 0 : is.threshold(),
                keys.added(), keys.removed(), keys.kept(), was == null ? List.of() : was.paths(),
                is == null ? List.of() : is.paths());
    }

    private static Map<String, Entry> entries(Optional<Delegations> delegations) {
        Map<String, Entry> out = new LinkedHashMap<>();
        if (delegations.isEmpty()) return out;
        Delegations d = delegations.get();
        for (DelegatedRole r : d.roles().orElse(List.of())) {
            List<String> paths = r.paths().orElseGet(() -> r.pathHashPrefixes().orElse(List.of()).stream()
                    .map(p -> "hash prefix " + p).toList());
            out.put(r.name(), new Entry(r.threshold(), keys(d, r.keyIds()), paths));
        }
        d.succinctRoles().ifPresent((SuccinctRoles s) -> out.put(s.namePrefix() + "-*", new Entry(s.threshold(),
                keys(d, s.keyIds()), List.of("all paths, by SHA-256 into " + s.binCount() + " hash bins ("
                + s.bitLength() + " bits)"))));
        return out;
    }

    private static Map<String, Key> keys(Delegations d, List<String> ids) {
        Map<String, Key> out = new LinkedHashMap<>();
        for (String id : ids) {
            Key k = d.keys().get(id);
            if (k != null) out.put(id, k);
        }
        return out;
    }

    /** A role's keys before and after, as officers read them: added, removed and kept, each with its holder. */
    record KeySplit(List<CeremonyKey> added, List<CeremonyKey> removed, List<CeremonyKey> kept) {
        static KeySplit of(Map<String, Key> was, Map<String, Key> is, Map<String, String> holdersBefore,
                           Map<String, String> holdersAfter) {
            List<CeremonyKey> added = new ArrayList<>();
            List<CeremonyKey> removed = new ArrayList<>();
            List<CeremonyKey> kept = new ArrayList<>();
            is.forEach((id, k) -> (was.containsKey(id) ? kept : added).add(key(id, k, holdersAfter)));
            was.forEach((id, k) -> {
                if (!is.containsKey(id)) removed.add(key(id, k, holdersBefore));
            });
            return new KeySplit(added, removed, kept);
        }

        private static CeremonyKey key(String id, Key k, Map<String, String> holders) {
            return new CeremonyKey(id, k.keyType(), holders.getOrDefault(id, ProposalSteps.UNKNOWN_HOLDER));
        }
    }
}
