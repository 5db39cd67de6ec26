package dev.ota.publishing;

import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.repository.Expiries;
import dev.ota.tuf.repository.Keyring;
import dev.ota.tuf.repository.RepositoryState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One served role as the expiry watch sees it: its current version and expiry, how long before expiry it is
 * due ({@link Expiries#refreshMargin}), and whether this server holds the keys to re-sign it. The hash bins
 * are summarised as one entry ({@code releases-*}: highest version, soonest expiry; they share one key set).
 */
public record RoleExpiry(String role, long version, Instant expires, Duration margin, boolean serverCanResign) {

    /**
     * The roles of {@code state} (its top-level files; bins known by {@code binExpiries}, by bin name).
     *
     * @param keys what this server holds; {@link Keyring#canSign} decides each role
     */
    public static List<RoleExpiry> of(RepositoryState state, Map<String, Instant> binExpiries, Keyring keys,
                               Expiries expiries) {
        List<RoleExpiry> out = new ArrayList<>();
        out.add(top(state.root().role(), state.root().version(), state.root().expires(), state, keys, expiries));
        out.add(top("targets", state.targets().version(), state.targets().expires(), state, keys, expiries));
        out.add(top("snapshot", state.snapshot().version(), state.snapshot().expires(), state, keys, expiries));
        out.add(top("timestamp", state.timestamp().version(), state.timestamp().expires(), state, keys, expiries));
        if (!binExpiries.isEmpty()) {
            String any = binExpiries.keySet().iterator().next();
            long highest = 0;
            Instant soonest = Instant.MAX;
            for (Map.Entry<String, Instant> e : binExpiries.entrySet()) {
                MetaFile listed = state.snapshot().metadata().metaFor(e.getKey());
                highest = Math.max(highest, listed == null ? 0 : listed.version());
                soonest = e.getValue().isBefore(soonest) ? e.getValue() : soonest;
            }
            String prefix = any.substring(0, any.lastIndexOf('-'));
            out.add(new RoleExpiry(prefix + "-*", highest, soonest, expiries.refreshMargin(any),
                    keys.canSign(state, any)));
        }
        return List.copyOf(out);
    }

    private static RoleExpiry top(String role, long version, Instant expires, RepositoryState state, Keyring keys,
                                  Expiries expiries) {
        return new RoleExpiry(role, version, expires, expiries.refreshMargin(role), keys.canSign(state, role));
    }
}
