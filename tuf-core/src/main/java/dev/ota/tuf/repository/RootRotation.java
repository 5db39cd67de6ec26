package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.Signing;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A new root version: the current root changed by the caller, at version N+1, signed by a threshold of the
 * current root's root keys and by a threshold of the new root's own (TUF 5.3.4: a client accepts N+1 only
 * with both). Every earlier {@code N.root.json} stays published; the caller only adds the new file.
 * <p>
 * When the keys of timestamp, snapshot or targets change, those roles must be re-signed under the new keys
 * in the same store transaction (clients that see the new root drop their trusted timestamp and snapshot):
 * follow with {@link Publisher#refreshSnapshot} or {@link Publisher#resign} and
 * {@link Publication#followedBy}.
 */
public final class RootRotation {
    private RootRotation() {
    }

    /**
     * @param change what changes in root (keys, thresholds, consistent snapshots); version and expiry are set here
     * @param currentRootKeys keys of the current root's root role, at least its threshold
     * @param newRootKeys keys of the new root's root role, at least its threshold (may overlap the current ones)
     * @throws SigningKeyNotAuthorisedException if a key is not a root key of the root it is given for
     * @throws InsufficientSigningKeysException if either threshold is not reached
     */
    public static Publication rotate(RepositoryState state, UnaryOperator<Root> change, List<SigningKey> currentRootKeys,
                                     List<SigningKey> newRootKeys, Expiries expiries, Instant now) {
        Root current = state.root().metadata();
        Root edited = change.apply(current);
        Root next = new Root(edited.specVersion(), current.version() + 1, expiries.expiresFor("root", now),
                edited.consistentSnapshot(), edited.keys(), edited.roles(), edited.unrecognized());
        List<SigningKey> byCurrent = RoleSigning.checked("root", RoleKeys.ofTopLevel(current, "root"), currentRootKeys);
        List<SigningKey> byNew = RoleSigning.checked("root", RoleKeys.ofTopLevel(next, "root"), newRootKeys);
        Map<String, SigningKey> all = new LinkedHashMap<>();
        byCurrent.forEach(k -> all.put(k.keyId(), k));
        byNew.forEach(k -> all.putIfAbsent(k.keyId(), k));
        RoleFile<Root> rootFile = RoleFile.of("root",
                Signing.sign(next, new ArrayList<>(all.values())));
        RepositoryState rotated = new RepositoryState(rootFile, state.targets(), state.delegated(), state.snapshot(),
                state.timestamp(), state.complete());
        return new Publication(rotated, List.of(rootFile.toFile(rotated.consistentSnapshot())));
    }

    /**
     * {@code root} with {@code role} authorised for exactly {@code keys} at {@code threshold}; keys no role uses
     * any more are dropped from root's key list.
     */
    public static Root withRoleKeys(Root root, String role, List<Key> keys, int threshold) {
        if (!Root.TOP_LEVEL_ROLES.contains(role)) throw new IllegalArgumentException("'" + role + "' is not a top-level role");
        if (threshold < 1 || threshold > keys.size()) {
            throw new IllegalArgumentException("threshold must be between 1 and " + keys.size() + ", got " + threshold);
        }
        Map<String, Key> allKeys = new LinkedHashMap<>(root.keys());
        List<String> ids = new ArrayList<>();
        for (Key k : keys) {
            String id = k.keyId();
            if (ids.contains(id)) throw new IllegalArgumentException("key " + id + " is listed twice");
            ids.add(id);
            allKeys.put(id, k);
        }
        Map<String, Role> roles = new LinkedHashMap<>(root.roles());
        roles.put(role, new Role(ids, threshold, root.role(role).unrecognized()));
        Set<String> used = new HashSet<>();
        roles.values().forEach(r -> used.addAll(r.keyIds()));
        allKeys.keySet().retainAll(used);
        return new Root(root.specVersion(), root.version(), root.expires(), root.consistentSnapshot(), allKeys, roles,
                root.unrecognized());
    }
}
