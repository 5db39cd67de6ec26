package dev.ota.tuf.metadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a role must be signed with: the authorised key ids, the keys known for them, and the threshold.
 * An authorised id without a key can never count towards the threshold.
 */
public record RoleKeys(List<String> keyIds, Map<String, Key> keys, int threshold) {
    public RoleKeys {
        keyIds = List.copyOf(keyIds);
        keys = Map.copyOf(keys);
        if (threshold < 1) throw new IllegalArgumentException("threshold must be at least 1");
    }

    static RoleKeys of(List<String> keyIds, int threshold, Map<String, Key> allKeys) {
        Map<String, Key> known = new LinkedHashMap<>();
        for (String id : keyIds) {
            Key k = allKeys.get(id);
            if (k != null) known.put(id, k);
        }
        return new RoleKeys(keyIds, known, threshold);
    }

    /** Keys and threshold of a top-level role as root defines it. */
    public static RoleKeys ofTopLevel(Root root, String roleName) {
        Role r = root.role(roleName);
        return of(r.keyIds(), r.threshold(), root.keys());
    }
}
