package dev.ota.tuf;

import java.util.List;
import java.util.Set;

/** Fewer distinct authorised keys signed the role than its threshold requires (key compromise below threshold). */
public final class ThresholdNotMetException extends RepositoryException {
    private final String role;
    private final int threshold;
    private final Set<String> validKeyIds;
    private final Set<String> missingKeyIds;

    public ThresholdNotMetException(String role, int threshold, Set<String> validKeyIds, Set<String> missingKeyIds) {
        super(role + " needs " + threshold + " valid signature(s) from distinct authorised keys, found "
                + validKeyIds.size() + " " + List.copyOf(validKeyIds));
        this.role = role;
        this.threshold = threshold;
        this.validKeyIds = Set.copyOf(validKeyIds);
        this.missingKeyIds = Set.copyOf(missingKeyIds);
    }

    public String role() { return role; }
    public int threshold() { return threshold; }
    public Set<String> validKeyIds() { return validKeyIds; }
    public Set<String> missingKeyIds() { return missingKeyIds; }
}
