package dev.ota.tuf.repository;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.crypto.SignatureCheck;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Targets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A threshold ceremony for top-level targets N+1 once officers hold its keys (the root's {@code roles.targets}):
 * the next version officers sign, the canonical bytes they sign (detached, as for root: {@link CanonicalProposal}),
 * and the tally against the targets role of the root that will be served with it, which is what every client checks
 * (TUF 5.6.3). Unlike root there is one threshold only: targets is not part of a chain. Pure; no I/O.
 */
public final class TargetsCeremony {
    private TargetsCeremony() {
    }

    /**
     * Targets version N+1: {@code content}'s targets and delegations (the current ones, or edited ones such as a
     * rotated delegated key) with {@code current}'s version plus one and the new expiry; unknown fields kept.
     *
     * @throws IllegalArgumentException if {@code expires} is not after {@code now}
     */
    public static Targets next(Targets current, Targets content, Instant expires, Instant now) {
        if (!expires.isAfter(now)) {
            throw new IllegalArgumentException("the new targets' expiry " + expires + " is not in the future");
        }
        return new Targets(content.specVersion(), current.version() + 1, expires, content.targets(),
                content.delegations(), content.unrecognized());
    }

    /**
     * Whether offline targets expiring at {@code expires} is due for its officers to sign a new version: within
     * {@code margin} of {@code now}, the margin within which the server re-signs the roles it holds.
     */
    public static boolean renewalDue(Instant expires, java.time.Duration margin, Instant now) {
        return !expires.isAfter(now.plus(margin));
    }

    /** The bytes every officer signs: the canonical JSON of the proposed targets' {@code signed} object. */
    public static Bytes signedBytes(Targets proposed) {
        return CanonicalProposal.signedBytes(proposed);
    }

    /**
     * The proposal read back from its stored canonical bytes, unsigned.
     *
     * @throws MalformedMetadataException if the bytes are not canonical targets metadata
     */
    public static Signed<Targets> proposal(Bytes signedBytes) {
        return CanonicalProposal.read(signedBytes, "proposed targets", Targets::fromJson);
    }

    /** The key {@code keyId} names if {@code root} authorises it for top-level targets. */
    public static Optional<Key> targetsKey(Root root, String keyId) {
        return Optional.ofNullable(root.keysOf("targets").get(keyId));
    }

    /** Whether {@code sig} (hex) is {@code key}'s valid signature over the proposal's signed bytes, and nothing else. */
    public static boolean signs(Key key, Bytes signedBytes, String sig) {
        return CanonicalProposal.signs(key, signedBytes, sig);
    }

    /** The threshold of {@code root}'s targets role as {@code signatures} over {@code proposal} stand. */
    public static VerificationResult tally(Root root, Signed<Targets> proposal, List<Signature> signatures) {
        return SignatureCheck.verify("targets", proposal.withSignatures(signatures), RoleKeys.ofTopLevel(root, "targets"));
    }

    /**
     * The file to publish as {@code N+1.targets.json}: the proposal's bytes as signed, with the signatures.
     *
     * @throws InsufficientSigningKeysException if {@code root}'s targets threshold is not met
     */
    public static RoleFile<Targets> publishable(Root root, Signed<Targets> proposal, List<Signature> signatures) {
        CanonicalProposal.requireMet(tally(root, proposal, signatures));
        return RoleFile.of("targets", proposal.withSignatures(signatures));
    }
}
