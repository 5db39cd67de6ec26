package dev.ota.tuf.repository;

import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.Root;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a security officer proposes for the next root version: for each top-level role named, its complete new key
 * list and threshold (adding, removing and rotating keys are all "the role's keys are now these"); roles not named
 * keep theirs. {@code expires} empty means the caller's default. Pure: {@link #apply} is the one place the next root
 * is built from the current one.
 *
 * @param roles role name to its new keys and threshold; only top-level role names
 */
public record RootEdit(Optional<Instant> expires, Map<String, RoleEdit> roles) {
    public RootEdit {
        roles = Map.copyOf(roles);
        for (String r : roles.keySet()) {
            if (!Root.TOP_LEVEL_ROLES.contains(r)) throw new IllegalArgumentException("'" + r + "' is not a top-level role");
        }
    }

    /** A role's new keys (in order, each once) and threshold. */
    public record RoleEdit(List<Key> keys, int threshold) {
        public RoleEdit {
            keys = List.copyOf(keys);
        }
    }

    /**
     * Root version N+1: {@code current} with the edited roles, keys no role uses dropped, unknown fields kept.
     *
     * @param defaultExpires the expiry when the edit names none
     * @throws UnreachableRoleException if an edited role would have no keys or fewer keys than its threshold
     * @throws IllegalArgumentException if a role lists one key twice, or the expiry is not after {@code now}
     */
    public Root apply(Root current, Instant defaultExpires, Instant now) {
        Instant newExpires = expires.orElse(defaultExpires);
        if (!newExpires.isAfter(now)) {
            throw new IllegalArgumentException("the new root's expiry " + newExpires + " is not in the future");
        }
        Map<String, Key> allKeys = new LinkedHashMap<>(current.keys());
        Map<String, Role> newRoles = new LinkedHashMap<>(current.roles());
        for (String name : Root.TOP_LEVEL_ROLES) {
            RoleEdit edit = roles.get(name);
            if (edit == null) continue;
            if (edit.keys().isEmpty() || edit.threshold() < 1 || edit.threshold() > edit.keys().size()) {
                throw new UnreachableRoleException(name, edit.threshold(), edit.keys().size());
            }
            List<String> ids = new ArrayList<>();
            for (Key k : edit.keys()) {
                String id = k.keyId();
                if (ids.contains(id)) throw new IllegalArgumentException("role '" + name + "' lists key " + id + " twice");
                ids.add(id);
                allKeys.put(id, k);
            }
            newRoles.put(name, new Role(ids, edit.threshold(), current.role(name).unrecognized()));
        }
        Set<String> used = new HashSet<>();
        newRoles.values().forEach(r -> used.addAll(r.keyIds()));
        allKeys.keySet().retainAll(used);
        // TUF 5.3.4: a client accepts root N+1 only at exactly version N+1.
        return new Root(current.specVersion(), current.version() + 1, newExpires, current.consistentSnapshot(), allKeys,
                newRoles, current.unrecognized());
    }
}
