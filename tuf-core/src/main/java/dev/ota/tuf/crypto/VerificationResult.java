package dev.ota.tuf.crypto;

import dev.ota.tuf.ThresholdNotMetException;

import java.util.Set;

/**
 * The outcome of checking a role's signatures, before anything turns it into an exception: which
 * authorised keys signed validly and which did not. A signing ceremony shows it as it is.
 */
public record VerificationResult(String role, int threshold, Set<String> validKeyIds, Set<String> missingKeyIds) {
    public VerificationResult {
        validKeyIds = Set.copyOf(validKeyIds);
        missingKeyIds = Set.copyOf(missingKeyIds);
    }

    public boolean thresholdMet() {
        return validKeyIds.size() >= threshold;
    }

    /** @throws ThresholdNotMetException if fewer than {@code threshold} distinct authorised keys signed */
    public VerificationResult requireThreshold() {
        if (!thresholdMet()) throw new ThresholdNotMetException(role, threshold, validKeyIds, missingKeyIds);
        return this;
    }
}
