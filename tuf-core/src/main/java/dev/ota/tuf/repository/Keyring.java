package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import java.util.List;

/**
 * The private keys at hand for an operation, per role. Offline roles are usually absent (empty) on the
 * server: {@link #online} carries only what a publish or a timer needs. {@code delegated} signs every
 * delegated targets role (all hash bins share one key set, TAP 15).
 */
public record Keyring(List<SigningKey> root, List<SigningKey> targets, List<SigningKey> snapshot,
                      List<SigningKey> timestamp, List<SigningKey> delegated) {
    public Keyring {
        root = List.copyOf(root);
        targets = List.copyOf(targets);
        snapshot = List.copyOf(snapshot);
        timestamp = List.copyOf(timestamp);
        delegated = List.copyOf(delegated);
    }

    /** The keys a server holds online: delegated targets roles, snapshot and timestamp. */
    public static Keyring online(List<SigningKey> delegated, List<SigningKey> snapshot, List<SigningKey> timestamp) {
        return new Keyring(List.of(), List.of(), snapshot, timestamp, delegated);
    }

    /** The same keyring with other targets keys (e.g. an officer's offline key brought in for one ceremony). */
    public Keyring withTargets(List<SigningKey> targetsKeys) {
        return new Keyring(root, targetsKeys, snapshot, timestamp, delegated);
    }

    /**
     * Whether these keys can sign {@code role} of {@code state} as its next version: every key held for it is
     * authorised by the state's root (or, for a delegated role, by top-level targets) and they reach the
     * threshold. A held key the role no longer authorises (e.g. after officers rotated it) counts as unable:
     * signing with it would be refused, and the keystore needs attention.
     */
    public boolean canSign(RepositoryState state, String role) {
        Optional<RoleKeys> authorised;
        if (Root.TOP_LEVEL_ROLES.contains(role)) {
            authorised = Optional.of(RoleKeys.ofTopLevel(state.root().metadata(), role));
        } else {
            authorised = state.targets().metadata().delegations().flatMap((Delegations d) -> d.keysFor(role));
        }
        if (authorised.isEmpty()) return false;
        RoleKeys keys = authorised.get();
        Set<String> distinct = new HashSet<>();
        for (SigningKey k : forRole(role)) {
            if (!keys.keyIds().contains(k.keyId()) || !keys.keys().containsKey(k.keyId())) return false;
            distinct.add(k.keyId());
        }
        return distinct.size() >= keys.threshold();
    }

    /** Keys for a role; any name other than a top-level role is a delegated role. */
    public List<SigningKey> forRole(String role) {
        return switch (role) {
            case "root" -> root;
            case "targets" -> targets;
            case "snapshot" -> snapshot;
            case "timestamp" -> timestamp;
            default -> delegated;
        };
    }

    /** Key ids only: the private halves never reach a log line. */
    @Override
    public String toString() {
        return "Keyring[root=" + ids(root) + ", targets=" + ids(targets) + ", snapshot=" + ids(snapshot)
                + ", timestamp=" + ids(timestamp) + ", delegated=" + ids(delegated) + "]";
    }

    private static List<String> ids(List<SigningKey> keys) {
        return keys.stream().map(SigningKey::keyId).toList();
    }
}
