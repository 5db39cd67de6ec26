package dev.ota.tuf.metadata;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The delegations of a targets role: keys, and either an ordered role list (order is priority) or succinct bins. */
public record Delegations(Map<String, Key> keys, Optional<List<DelegatedRole>> roles,
                          Optional<SuccinctRoles> succinctRoles, Map<String, JsonValue> unrecognized) {
    private static final Set<String> KNOWN = Set.of("keys", "roles", "succinct_roles");
    private static final Set<String> TOP_LEVEL = Set.of("root", "timestamp", "snapshot", "targets");

    public Delegations {
        keys = Map.copyOf(keys);
        roles = roles.map(List::copyOf);
        unrecognized = Map.copyOf(unrecognized);
        if (roles.isPresent() == succinctRoles.isPresent()) {
            throw new IllegalArgumentException("exactly one of roles and succinct_roles is required");
        }
    }

    static Delegations fromJson(JsonValue v, String where) {
        JsonObject o = Fields.object(v, where);
        Map<String, Key> keys = new LinkedHashMap<>();
        Fields.object(Fields.required(o, "keys", where), where + ".keys").members()
                .forEach((id, k) -> keys.put(id, Key.fromJson(k, where + ".keys." + id)));
        boolean hasRoles = o.has("roles");
        boolean hasSuccinct = o.has("succinct_roles");
        if (hasRoles == hasSuccinct) {
            throw new MalformedMetadataException(where, "must have exactly one of 'roles' and 'succinct_roles'");
        }
        Optional<List<DelegatedRole>> roles = Optional.empty();
        if (hasRoles) {
            List<DelegatedRole> list = new ArrayList<>();
            Set<String> names = new HashSet<>();
            int i = 0;
            for (JsonValue r : Fields.array(o, "roles", where)) {
                DelegatedRole role = DelegatedRole.fromJson(r, where + ".roles[" + i++ + "]");
                if (!names.add(role.name())) {
                    throw new MalformedMetadataException(where + ".roles", "role name '" + role.name() + "' appears twice");
                }
                if (TOP_LEVEL.contains(role.name())) {
                    throw new MalformedMetadataException(where + ".roles", "cannot delegate to top-level role name '" + role.name() + "'");
                }
                list.add(role);
            }
            roles = Optional.of(list);
        }
        Optional<SuccinctRoles> succinct = hasSuccinct
                ? Optional.of(SuccinctRoles.fromJson(o.get("succinct_roles"), where + ".succinct_roles"))
                : Optional.empty();
        return new Delegations(keys, roles, succinct, Fields.unrecognized(o, KNOWN));
    }

    JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        Map<String, JsonValue> k = new LinkedHashMap<>();
        keys.forEach((id, key) -> k.put(id, key.toJson()));
        m.put("keys", new JsonObject(k));
        roles.ifPresent(rs -> m.put("roles", JsonValue.arr(rs.stream().map(DelegatedRole::toJson).toList())));
        succinctRoles.ifPresent(s -> m.put("succinct_roles", s.toJson()));
        return Fields.build(m, unrecognized);
    }

    /**
     * The keys and threshold a delegated role must be signed with, or empty if this delegates no such role.
     */
    public Optional<RoleKeys> keysFor(String roleName) {
        if (succinctRoles.isPresent()) {
            SuccinctRoles s = succinctRoles.get();
            return s.isBin(roleName) ? Optional.of(RoleKeys.of(s.keyIds(), s.threshold(), keys)) : Optional.empty();
        }
        for (DelegatedRole r : roles.get()) {
            if (r.name().equals(roleName)) return Optional.of(RoleKeys.of(r.keyIds(), r.threshold(), keys));
        }
        return Optional.empty();
    }

    /**
     * The delegated roles trusted for {@code targetPath}, in priority order, each with whether it is terminating.
     * Succinct bins yield the one bin for the path, never terminating (TAP 15).
     */
    public List<Candidate> rolesFor(String targetPath) {
        if (succinctRoles.isPresent()) {
            return List.of(new Candidate(succinctRoles.get().roleNameFor(targetPath), false));
        }
        List<Candidate> out = new ArrayList<>();
        for (DelegatedRole r : roles.get()) {
            if (r.isDelegatedPath(targetPath)) out.add(new Candidate(r.name(), r.terminating()));
        }
        return out;
    }

    /** A role to visit in the target search. */
    public record Candidate(String name, boolean terminating) {
    }
}
