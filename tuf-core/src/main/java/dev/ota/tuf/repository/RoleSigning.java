package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.Signing;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.metadata.Timestamp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The one way this package signs: check the keys against the role's authorisation, then sign. */
final class RoleSigning {
    private RoleSigning() {
    }

    /**
     * Signs {@code metadata} as {@code role} with every given key.
     *
     * @throws SigningKeyNotAuthorisedException if a key is not among the role's authorised keys
     * @throws InsufficientSigningKeysException if fewer distinct authorised keys than the threshold are given
     */
    static <T extends RoleMetadata> RoleFile<T> sign(String role, T metadata, RoleKeys authorised, List<SigningKey> keys) {
        return RoleFile.of(role, Signing.sign(metadata, checked(role, authorised, keys)));
    }

    /** The given keys, each once, after checking that they can sign {@code role} validly. */
    static List<SigningKey> checked(String role, RoleKeys authorised, List<SigningKey> keys) {
        Map<String, SigningKey> distinct = new LinkedHashMap<>();
        for (SigningKey k : keys) {
            String id = k.keyId();
            // An id without a key in the delegating metadata can never verify, so it does not count either.
            if (!authorised.keyIds().contains(id) || !authorised.keys().containsKey(id)) {
                throw new SigningKeyNotAuthorisedException(role, id);
            }
            distinct.putIfAbsent(id, k);
        }
        if (distinct.size() < authorised.threshold()) {
            Set<String> offered = new LinkedHashSet<>(distinct.keySet());
            throw new InsufficientSigningKeysException(role, authorised.threshold(),
                    new LinkedHashSet<>(authorised.keyIds()), offered);
        }
        return new ArrayList<>(distinct.values());
    }

    /** The same content as the next version: version + 1 and a new expiry, unknown fields kept. */
    @SuppressWarnings("unchecked")
    static <T extends RoleMetadata> T nextVersion(T md, Instant expires) {
        if (md.version() == Long.MAX_VALUE) {
            throw new InconsistentRepositoryException(md.type(), "version " + md.version() + " cannot be bumped");
        }
        long v = md.version() + 1;
        RoleMetadata next;
        if (md instanceof Root r) {
            next = new Root(r.specVersion(), v, expires, r.consistentSnapshot(), r.keys(), r.roles(), r.unrecognized());
        } else if (md instanceof Targets t) {
            next = new Targets(t.specVersion(), v, expires, t.targets(), t.delegations(), t.unrecognized());
        } else if (md instanceof Snapshot s) {
            next = new Snapshot(s.specVersion(), v, expires, s.meta(), s.unrecognized());
        } else {
            Timestamp t = (Timestamp) md;
            next = new Timestamp(t.specVersion(), v, expires, t.snapshotMeta(), t.unrecognized());
        }
        return (T) next;
    }
}
