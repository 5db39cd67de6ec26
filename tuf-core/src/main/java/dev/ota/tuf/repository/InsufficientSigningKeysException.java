package dev.ota.tuf.repository;

import java.util.List;
import java.util.Set;

/**
 * Fewer distinct authorised signing keys were given for a role than its threshold: signing anyway would
 * publish metadata that every client rejects.
 */
public final class InsufficientSigningKeysException extends RepositoryEditException {
    private final String role;
    private final int threshold;
    private final Set<String> authorisedKeyIds;
    private final Set<String> offeredKeyIds;

    public InsufficientSigningKeysException(String role, int threshold, Set<String> authorisedKeyIds,
                                            Set<String> offeredKeyIds) {
        super(role + " needs " + threshold + " signing key(s) among " + List.copyOf(authorisedKeyIds)
                + " but " + offeredKeyIds.size() + " were given " + List.copyOf(offeredKeyIds));
        this.role = role;
        this.threshold = threshold;
        this.authorisedKeyIds = Set.copyOf(authorisedKeyIds);
        this.offeredKeyIds = Set.copyOf(offeredKeyIds);
    }

    public String role() { return role; }
    public int threshold() { return threshold; }
    public Set<String> authorisedKeyIds() { return authorisedKeyIds; }
    public Set<String> offeredKeyIds() { return offeredKeyIds; }
}
