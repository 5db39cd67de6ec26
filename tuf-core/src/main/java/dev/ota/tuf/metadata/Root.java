package dev.ota.tuf.metadata;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Root metadata: the keys and thresholds of the four top-level roles. */
public record Root(String specVersion, long version, Instant expires, boolean consistentSnapshot,
                   Map<String, Key> keys, Map<String, Role> roles, Map<String, JsonValue> unrecognized)
        implements RoleMetadata {
    public static final String TYPE = "root";
    public static final List<String> TOP_LEVEL_ROLES = List.of("root", "timestamp", "snapshot", "targets");
    private static final Set<String> KNOWN = Set.of("_type", "spec_version", "version", "expires",
            "consistent_snapshot", "keys", "roles");

    public Root {
        Common c = new Common(specVersion, version, expires);
        expires = c.expires();
        keys = Map.copyOf(keys);
        roles = Map.copyOf(roles);
        unrecognized = Map.copyOf(unrecognized);
        for (String r : TOP_LEVEL_ROLES) {
            if (!roles.containsKey(r)) throw new IllegalArgumentException("root must define role " + r);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    public Role role(String name) {
        return roles.get(name);
    }

    public static Root fromJson(JsonObject o, String where) {
        Common c = Common.read(o, TYPE, where);
        // python-tuf and go-tuf read a missing consistent_snapshot as false.
        boolean consistent = o.has("consistent_snapshot") && Fields.bool(o, "consistent_snapshot", where);
        Map<String, Key> keys = new LinkedHashMap<>();
        JsonObject k = Fields.object(Fields.required(o, "keys", where), where + ".keys");
        k.members().forEach((id, v) -> keys.put(id, Key.fromJson(v, where + ".keys." + id)));
        Map<String, Role> roles = new LinkedHashMap<>();
        JsonObject r = Fields.object(Fields.required(o, "roles", where), where + ".roles");
        for (String name : TOP_LEVEL_ROLES) {
            if (!r.has(name)) throw new MalformedMetadataException(where + ".roles", "missing role '" + name + "'");
        }
        r.members().forEach((name, v) -> roles.put(name, Role.fromJson(v, name, where + ".roles." + name)));
        return new Root(c.specVersion(), c.version(), c.expires(), consistent, keys, roles, Fields.unrecognized(o, KNOWN));
    }

    @Override
    public JsonObject toJson() {
        Map<String, JsonValue> m = new Common(specVersion, version, expires).write(TYPE);
        m.put("consistent_snapshot", JsonValue.of(consistentSnapshot));
        Map<String, JsonValue> k = new LinkedHashMap<>();
        keys.forEach((id, key) -> k.put(id, key.toJson()));
        m.put("keys", new JsonObject(k));
        Map<String, JsonValue> r = new LinkedHashMap<>();
        roles.forEach((name, role) -> r.put(name, role.toJson()));
        m.put("roles", new JsonObject(r));
        return Fields.build(m, unrecognized);
    }

    /** Keys of a top-level role, in the role's key id order; ids without a key are skipped. */
    public Map<String, Key> keysOf(String roleName) {
        Map<String, Key> out = new LinkedHashMap<>();
        Role role = roles.get(roleName);
        if (role != null) {
            for (String id : role.keyIds()) {
                Key key = keys.get(id);
                if (key != null) out.put(id, key);
            }
        }
        return out;
    }
}
