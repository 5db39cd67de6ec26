package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.DelegatedRole;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.SuccinctRoles;
import dev.ota.tuf.metadata.Targets;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Replacing one online key by another in one publication, as pure functions: the role that authorises the key
 * lists the new key instead of the old (same threshold), and the role the key signed is re-signed under the new
 * key, so that after this publication nothing served is signed by the old key alone.
 * <ul>
 *   <li>timestamp, snapshot, top-level targets: root N+1 authorises the new key (signed by the current root keys,
 *   which stay: TUF 5.3.4 wants a threshold of N's and of N+1's root keys), then the role is re-signed, followed
 *   by snapshot and timestamp as publishing requires. Clients that walk to the new root drop their trusted
 *   timestamp and snapshot when those keys changed (TUF 5.3.11) and fetch the re-signed ones.</li>
 *   <li>a delegated role's key (the hash bins share one): top-level targets lists the new key, then every
 *   delegated role that key signed is re-signed, then snapshot and timestamp. Root does not change.</li>
 * </ul>
 * Root's own keys are not rotated here: that is a root ceremony's work (officers sign the proposal).
 */
public final class KeyRotation {
    private KeyRotation() {
    }

    /**
     * @param keys the current root keys (a threshold), and for {@code role} the new key (besides what the
     *             re-signing needs: snapshot and timestamp, or targets)
     * @throws IllegalArgumentException if {@code role} is not timestamp, snapshot or targets, or does not list {@code oldKeyId}
     */
    public static Publication rotateTopLevel(RepositoryState state, String role, String oldKeyId, Key newKey, Keyring keys,
                                             Expiries expiries, Instant now) {
        if (!List.of("timestamp", "snapshot", "targets").contains(role)) {
            throw new IllegalArgumentException("'" + role + "' is not an online top-level role");
        }
        Root changed = replaceKey(state.root().metadata(), role, oldKeyId, newKey);
        Publication rotated = RootRotation.rotate(state, r -> changed, keys.root(), keys.root(), expiries, now);
        RepositoryState s = rotated.state();
        Publication resigned = switch (role) {
            case "timestamp" -> Publisher.refreshTimestamp(s, keys, expiries, now);
            case "snapshot" -> Publisher.refreshSnapshot(s, keys, expiries, now);
            default -> Publisher.resign(s, List.of("targets"), keys, expiries, now);
        };
        return rotated.followedBy(resigned);
    }

    /**
     * Replaces {@code oldKeyId} by {@code newKey} in top-level targets' delegations and re-signs every delegated
     * role that listed it. {@code state} must hold every delegated role ({@link RepositoryState#withDelegated}).
     *
     * @param keys the top-level targets keys, the new delegated key, snapshot and timestamp
     * @throws IllegalArgumentException if no delegated role lists {@code oldKeyId}
     * @throws IllegalStateException if {@code state} lacks a delegated role
     */
    public static Publication rotateDelegated(RepositoryState state, String oldKeyId, Key newKey, Keyring keys,
                                              Expiries expiries, Instant now) {
        Targets top = state.targets().metadata();
        Delegations d = top.delegations()
                .orElseThrow(() -> new IllegalArgumentException("targets delegates to no role"));
        List<String> affected = new ArrayList<>();
        Optional<SuccinctRoles> succinct = d.succinctRoles();
        Optional<List<DelegatedRole>> roles = d.roles();
        if (succinct.isPresent()) {
            SuccinctRoles s = succinct.get();
            if (!s.keyIds().contains(oldKeyId)) throw new IllegalArgumentException("the bins do not list key " + oldKeyId);
            succinct = Optional.of(new SuccinctRoles(replaced(s.keyIds(), oldKeyId, newKey), s.threshold(), s.bitLength(),
                    s.namePrefix(), s.unrecognized()));
            affected.addAll(s.allBinNames());
        } else {
            List<DelegatedRole> edited = new ArrayList<>();
            for (DelegatedRole r : roles.orElseThrow()) {
                if (r.keyIds().contains(oldKeyId)) {
                    affected.add(r.name());
                    r = new DelegatedRole(r.name(), replaced(r.keyIds(), oldKeyId, newKey), r.threshold(), r.terminating(),
                            r.paths(), r.pathHashPrefixes(), r.unrecognized());
                }
                edited.add(r);
            }
            if (affected.isEmpty()) throw new IllegalArgumentException("no delegated role lists key " + oldKeyId);
            roles = Optional.of(edited);
        }
        Map<String, Key> delegatedKeys = new LinkedHashMap<>(d.keys());
        delegatedKeys.remove(oldKeyId);
        delegatedKeys.put(newKey.keyId(), newKey);
        Delegations next = new Delegations(delegatedKeys, roles, succinct, d.unrecognized());
        Map<String, Targets> contents = new TreeMap<>();
        contents.put("targets", new Targets(top.specVersion(), top.version(), top.expires(), top.targets(),
                Optional.of(next), top.unrecognized()));
        for (String name : affected) {
            RoleFile<Targets> f = state.delegated().get(name);
            if (f == null) throw new IllegalStateException("the state does not hold delegated role '" + name + "'");
            contents.put(name, f.metadata());
        }
        return Publisher.commit(state, contents, keys, expiries, now);
    }

    /**
     * {@code root} with {@code newKey} in place of {@code oldKeyId} for {@code role}, same threshold and order.
     *
     * @throws IllegalArgumentException if the role does not list {@code oldKeyId} or already lists the new key
     */
    public static Root replaceKey(Root root, String role, String oldKeyId, Key newKey) {
        Role r = root.role(role);
        if (!r.keyIds().contains(oldKeyId)) {
            throw new IllegalArgumentException("role '" + role + "' does not list key " + oldKeyId);
        }
        List<Key> keys = new ArrayList<>();
        for (String id : r.keyIds()) keys.add(id.equals(oldKeyId) ? newKey : root.keys().get(id));
        return RootRotation.withRoleKeys(root, role, keys, r.threshold());
    }

    private static List<String> replaced(List<String> ids, String oldKeyId, Key newKey) {
        if (ids.contains(newKey.keyId())) throw new IllegalArgumentException("key " + newKey.keyId() + " is listed already");
        return ids.stream().map(id -> id.equals(oldKeyId) ? newKey.keyId() : id).toList();
    }
}
