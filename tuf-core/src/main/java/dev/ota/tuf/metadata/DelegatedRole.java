package dev.ota.tuf.metadata;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One delegation: a role trusted, with its own keys and threshold, for the target paths matching exactly one
 * of {@code paths} (shell-style patterns) or {@code path_hash_prefixes}.
 */
public record DelegatedRole(String name, List<String> keyIds, int threshold, boolean terminating,
                            Optional<List<String>> paths, Optional<List<String>> pathHashPrefixes,
                            Map<String, JsonValue> unrecognized) {
    private static final Set<String> KNOWN = Set.of("name", "keyids", "threshold", "terminating", "paths",
            "path_hash_prefixes");

    public DelegatedRole {
        keyIds = List.copyOf(keyIds);
        paths = paths.map(List::copyOf);
        pathHashPrefixes = pathHashPrefixes.map(List::copyOf);
        unrecognized = Map.copyOf(unrecognized);
        if (threshold < 1) throw new IllegalArgumentException("threshold must be at least 1");
        if (paths.isPresent() == pathHashPrefixes.isPresent()) {
            throw new IllegalArgumentException("exactly one of paths and path_hash_prefixes is required");
        }
    }

    static DelegatedRole fromJson(JsonValue v, String where) {
        JsonObject o = Fields.object(v, where);
        String name = Fields.string(o, "name", where);
        boolean hasPaths = o.has("paths");
        boolean hasPrefixes = o.has("path_hash_prefixes");
        if (hasPaths == hasPrefixes) {
            throw new MalformedMetadataException(where, "role '" + name + "' must have exactly one of 'paths' and 'path_hash_prefixes'");
        }
        return new DelegatedRole(name, Fields.keyIds(o, name, where), Fields.threshold(o, where),
                Fields.bool(o, "terminating", where),
                hasPaths ? Optional.of(Fields.strings(o, "paths", where)) : Optional.empty(),
                hasPrefixes ? Optional.of(Fields.strings(o, "path_hash_prefixes", where)) : Optional.empty(),
                Fields.unrecognized(o, KNOWN));
    }

    JsonObject toJson() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("name", JsonValue.of(name));
        m.put("keyids", Fields.strings(keyIds));
        m.put("threshold", JsonValue.of(threshold));
        m.put("terminating", JsonValue.of(terminating));
        paths.ifPresent(p -> m.put("paths", Fields.strings(p)));
        pathHashPrefixes.ifPresent(p -> m.put("path_hash_prefixes", Fields.strings(p)));
        return Fields.build(m, unrecognized);
    }

    /** Whether this role is trusted for {@code targetPath}. */
    public boolean isDelegatedPath(String targetPath) {
        if (paths.isPresent()) {
            for (String pattern : paths.get()) {
                if (PathPattern.matches(pattern, targetPath)) return true;
            }
            return false;
        }
        String hash = Bytes.of(targetPath.getBytes(StandardCharsets.UTF_8)).sha256Hex();
        for (String prefix : pathHashPrefixes.get()) {
            if (hash.startsWith(prefix)) return true;
        }
        return false;
    }
}
