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
import java.util.List;
import java.util.Optional;

/**
 * A threshold ceremony for root N+1, offline signers' side and server side alike: the canonical bytes officers sign
 * (detached, each on their own machine), the check of one detached signature, and the tally that decides when the
 * new root may be published: a threshold of root N's root keys and a threshold of root N+1's own (TUF 5.3.4), which
 * is exactly what every client checks when it walks the root chain. Pure; no I/O.
 */
public final class RootCeremony {
    private RootCeremony() {
    }

    /** Both thresholds as they stand: root N's root role and root N+1's. */
    public record Tally(VerificationResult previous, VerificationResult next) {
        public boolean complete() {
            return previous.thresholdMet() && next.thresholdMet();
        }
    }

    /** The bytes every officer signs: the canonical JSON of the proposed root's {@code signed} object. */
    public static Bytes signedBytes(Root proposed) {
        return CanonicalProposal.signedBytes(proposed);
    }

    /**
     * The proposal read back from its stored canonical bytes, unsigned.
     *
     * @throws MalformedMetadataException if the bytes are not canonical root metadata
     */
    public static Signed<Root> proposal(Bytes signedBytes) {
        return CanonicalProposal.read(signedBytes, "proposed root", Root::fromJson);
    }

    /** The key {@code keyId} names as a root key of the current or the proposed root, if either authorises it. */
    public static Optional<Key> rootKey(Root current, Root proposed, String keyId) {
        for (Root r : List.of(current, proposed)) {
            Key k = r.keysOf("root").get(keyId);
            if (k != null) return Optional.of(k);
        }
        return Optional.empty();
    }

    /** Whether {@code sig} (hex) is {@code key}'s valid signature over the proposal's signed bytes, and nothing else. */
    public static boolean signs(Key key, Bytes signedBytes, String sig) {
        return CanonicalProposal.signs(key, signedBytes, sig);
    }

    /** The tally of {@code signatures} over {@code proposal} against both roots' root roles. */
    public static Tally tally(Root current, Signed<Root> proposal, List<Signature> signatures) {
        Signed<Root> signed = proposal.withSignatures(signatures);
        return new Tally(SignatureCheck.verify("root", signed, RoleKeys.ofTopLevel(current, "root")),
                SignatureCheck.verify("root", signed, RoleKeys.ofTopLevel(proposal.signed(), "root")));
    }

    /**
     * The file to publish as {@code N+1.root.json}: the proposal's bytes as signed, with the signatures.
     *
     * @throws InsufficientSigningKeysException if either threshold is not met (nothing to publish then)
     */
    public static RoleFile<Root> publishable(Root current, Signed<Root> proposal, List<Signature> signatures) {
        Tally t = tally(current, proposal, signatures);
        CanonicalProposal.requireMet(t.previous());
        CanonicalProposal.requireMet(t.next());
        return RoleFile.of("root", proposal.withSignatures(signatures));
    }
}
