package dev.ota.tuf.metadata;

import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Targets metadata (top-level or delegated): the targets it lists and whom it delegates to. */
public record Targets(String specVersion, long version, Instant expires, Map<String, TargetFile> targets,
                      Optional<Delegations> delegations, Map<String, JsonValue> unrecognized) implements RoleMetadata {
    public static final String TYPE = "targets";
    private static final Set<String> KNOWN = Set.of("_type", "spec_version", "version", "expires", "targets", "delegations");

    public Targets {
        expires = new Common(specVersion, version, expires).expires();
        targets = Map.copyOf(targets);
        unrecognized = Map.copyOf(unrecognized);
    }

    @Override
    public String type() {
        return TYPE;
    }

    public static Targets fromJson(JsonObject o, String where) {
        Common c = Common.read(o, TYPE, where);
        Map<String, TargetFile> targets = new LinkedHashMap<>();
        Fields.object(Fields.required(o, "targets", where), where + ".targets").members()
                .forEach((path, v) -> targets.put(path, TargetFile.fromJson(v, where + ".targets." + path)));
        Optional<Delegations> delegations = o.has("delegations")
                ? Optional.of(Delegations.fromJson(o.get("delegations"), where + ".delegations"))
                : Optional.empty();
        return new Targets(c.specVersion(), c.version(), c.expires(), targets, delegations, Fields.unrecognized(o, KNOWN));
    }

    @Override
    public JsonObject toJson() {
        Map<String, JsonValue> m = new Common(specVersion, version, expires).write(TYPE);
        Map<String, JsonValue> t = new LinkedHashMap<>();
        targets.forEach((path, f) -> t.put(path, f.toJson()));
        m.put("targets", new JsonObject(t));
        delegations.ifPresent(d -> m.put("delegations", d.toJson()));
        return Fields.build(m, unrecognized);
    }
}
