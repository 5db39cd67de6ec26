package dev.ota.publishing;

import dev.ota.repository.Settings;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.RoleKeys;
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
 * due ({@link Expiries#refreshMargin}), whether this server holds the keys to re-sign it, how long ahead of its
 * expiry people are warned ({@link Settings#warnAhead}), and who holds its keys: {@code threshold} of
 * {@code signers} must sign a new version (for an offline role, its officers). The hash bins are summarised as
 * one entry ({@code releases-*}: highest version, soonest expiry; they share one key set).
 */
public record RoleExpiry(String role, long version, Instant expires, Duration margin, boolean serverCanResign,
                         Duration warnAhead, int threshold, List<String> signers) {
    public RoleExpiry {
        signers = List.copyOf(signers);
    }

    /** A role warned of at its margin, whose signers are not named. */
    public RoleExpiry(String role, long version, Instant expires, Duration margin, boolean serverCanResign) {
        this(role, version, expires, margin, serverCanResign, margin, 1, List.of());
    }

    /**
     * Who holds a key, as alarms name them: this server when its keystore holds the key, else the key itself
     * ("offline key 1a2b3c4d5e6f7a8b"). The seam for officer names once root keys carry their holders.
     */
    public static String holder(String keyId, Keyring held) {
        boolean online = java.util.stream.Stream.of(held.root(), held.targets(), held.snapshot(), held.timestamp(),
                held.delegated()).flatMap(List::stream).anyMatch(k -> k.keyId().equals(keyId));
        return online ? "this server" : "offline key " + keyId.substring(0, Math.min(16, keyId.length()));
    }

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
            RoleKeys binKeys = state.targets().metadata().delegations().flatMap(d -> d.keysFor(any)).orElse(null);
            out.add(new RoleExpiry(prefix + "-*", highest, soonest, expiries.refreshMargin(any),
                    keys.canSign(state, any), Settings.warnAhead(RepositoryBootstrap.RELEASES_ROLE, expiries),
                    binKeys == null ? 1 : binKeys.threshold(),
                    binKeys == null ? List.of() : binKeys.keyIds().stream().map(id -> holder(id, keys)).toList()));
        }
        return List.copyOf(out);
    }

    private static RoleExpiry top(String role, long version, Instant expires, RepositoryState state, Keyring keys,
                                  Expiries expiries) {
        RoleKeys authorised = RoleKeys.ofTopLevel(state.root().metadata(), role);
        return new RoleExpiry(role, version, expires, expiries.refreshMargin(role), keys.canSign(state, role),
                Settings.warnAhead(role, expiries), authorised.threshold(),
                authorised.keyIds().stream().map(id -> holder(id, keys)).toList());
    }
}
