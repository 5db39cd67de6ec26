package dev.ota.ceremony;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/** The records the management API and the portal show of a ceremony; public material only. */
public final class CeremonyViews {
    private CeremonyViews() {
    }

    /** A key as officers see it: id, type and the account that holds its private half. */
    public record CeremonyKey(String keyId, String keyType, String holder) implements Serializable {
    }

    /** A top-level role of a root: threshold and keys. */
    public record RoleKeysView(String role, int threshold, List<CeremonyKey> keys) implements Serializable {
        public RoleKeysView {
            keys = List.copyOf(keys);
        }
    }

    /** The root the repository serves now, with the holder of each key. */
    public record CurrentRoot(int version, Instant expires, List<RoleKeysView> roles) implements Serializable {
        public CurrentRoot {
            roles = List.copyOf(roles);
        }
    }

    /** What a proposal changes in one role: threshold before and after, keys added, removed and kept. */
    public record RoleChange(String role, int thresholdBefore, int thresholdAfter, List<CeremonyKey> added,
                             List<CeremonyKey> removed, List<CeremonyKey> kept) implements Serializable {
        public RoleChange {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            kept = List.copyOf(kept);
        }
    }

    /** The readable difference between the current root and the proposed one. */
    public record RootDiff(int versionBefore, int versionAfter, Instant expiresBefore, Instant expiresAfter,
                           List<RoleChange> roles) implements Serializable {
        public RootDiff {
            roles = List.copyOf(roles);
        }
    }

    /** One stored signature: whose key, who uploaded it, and which of the two thresholds it counts for. */
    public record CeremonySignature(String keyId, String holder, String signedBy, Instant signedAt,
                                    boolean countsForCurrentRoot, boolean countsForNewRoot) implements Serializable {
    }

    /** One root role's threshold as the signatures stand. */
    public record ThresholdStatus(int rootVersion, int threshold, List<String> signedKeyIds,
                                  List<String> missingKeyIds, boolean met) implements Serializable {
        public ThresholdStatus {
            signedKeyIds = List.copyOf(signedKeyIds);
            missingKeyIds = List.copyOf(missingKeyIds);
        }
    }

    /**
     * A proposal with its diff, signatures and both thresholds; {@code publishable} when both are met (and, when it
     * hands top-level targets to officers, the targets proposal {@code targetsProposalId} that is published with it).
     */
    public record RootProposalView(String id, String state, int baseVersion, int version, String proposedBy,
                                   Instant createdAt, Instant openUntil, String closedBy, Instant closedAt,
                                   String signedBytesSha256, RootDiff diff, List<CeremonySignature> signatures,
                                   ThresholdStatus currentRoot, ThresholdStatus newRoot, boolean publishable,
                                   String targetsProposalId)
            implements Serializable {
        public RootProposalView {
            signatures = List.copyOf(signatures);
        }
    }

    /** One delegation in a targets diff: name, keys by id (with holder), threshold and paths before and after. */
    public record DelegationChange(String role, String change, int thresholdBefore, int thresholdAfter,
                                   List<CeremonyKey> added, List<CeremonyKey> removed, List<CeremonyKey> kept,
                                   List<String> pathsBefore, List<String> pathsAfter) implements Serializable {
        public DelegationChange {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            kept = List.copyOf(kept);
            pathsBefore = List.copyOf(pathsBefore);
            pathsAfter = List.copyOf(pathsAfter);
        }
    }

    /** The readable difference between the served top-level targets and the proposed one. */
    public record TargetsDiff(int versionBefore, int versionAfter, Instant expiresBefore, Instant expiresAfter,
                              int targetsBefore, int targetsAfter, List<DelegationChange> delegations)
            implements Serializable {
        public TargetsDiff {
            delegations = List.copyOf(delegations);
        }
    }

    /** One stored signature of a targets proposal, and whether it counts for the targets threshold. */
    public record TargetsSignature(String keyId, String holder, String signedBy, Instant signedAt, boolean counts)
            implements Serializable {
    }

    /**
     * A targets proposal: the diff, the signatures, and the threshold of the targets keys of root {@code
     * rootVersion} (the served root, or the one of root proposal {@code rootProposalId} it is published with), each
     * of those keys with its holder ({@code signers}).
     */
    public record TargetsProposalView(String id, String state, int baseVersion, int version, int rootVersion,
                                      String rootProposalId, String reason, String proposedBy, Instant createdAt,
                                      Instant openUntil, String closedBy, Instant closedAt, String signedBytesSha256,
                                      TargetsDiff diff, List<CeremonyKey> signers, List<TargetsSignature> signatures,
                                      ThresholdStatus threshold, boolean publishable) implements Serializable {
        public TargetsProposalView {
            signers = List.copyOf(signers);
            signatures = List.copyOf(signatures);
        }
    }
}
