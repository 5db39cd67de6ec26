package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.SigningKey;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys a new repository authorises for one role, and how many of them must sign. All of them are
 * used to sign the first version.
 */
public record RoleKeySet(List<SigningKey> keys, int threshold) {
    public RoleKeySet {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) throw new IllegalArgumentException("a role needs at least one key");
        if (threshold < 1 || threshold > keys.size()) {
            throw new IllegalArgumentException("threshold must be between 1 and " + keys.size() + ", got " + threshold);
        }
        Set<String> ids = new HashSet<>();
        for (SigningKey k : keys) {
            if (!ids.add(k.keyId())) throw new IllegalArgumentException("key " + k.keyId() + " is listed twice");
        }
    }

    /** A threshold of one over the given keys. */
    public static RoleKeySet of(SigningKey... keys) {
        return new RoleKeySet(List.of(keys), 1);
    }

    public List<String> keyIds() {
        return keys.stream().map(SigningKey::keyId).toList();
    }

    /** Key ids only: the private halves never reach a log line. */
    @Override
    public String toString() {
        return "RoleKeySet[keys=" + keyIds() + ", threshold=" + threshold + "]";
    }
}
