package dev.ota.ceremony;

import dev.ota.ceremony.CeremonyViews.CeremonyKey;
import dev.ota.ceremony.CeremonyViews.TargetsProposalView;
import dev.ota.ceremony.CeremonyViews.TargetsSignature;
import dev.ota.ceremony.CeremonyViews.ThresholdStatus;
import dev.ota.error.ErrorKind;
import dev.ota.publishing.RootReader;
import dev.ota.repository.Settings;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.repository.RoleFile;
import dev.ota.tuf.repository.RootCeremony;
import dev.ota.tuf.repository.TargetsCeremony;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Targets proposals as both ceremonies see them: which root's targets keys sign one (the served root's, or that of
 * the root proposal it is published with, when that root hands targets to officers), who holds those keys, whether
 * it is still open, and its view. {@link TargetsCeremonies} drives the targets ceremony proper,
 * {@link RootCeremonies} the proposal that goes with a root proposal.
 */
final class TargetsProposals {
    private final EntityManager em;
    private final RootReader roots;
    private final ProposalSteps steps;

    TargetsProposals(EntityManager em, RootReader roots, ProposalSteps steps) {
        this.em = em;
        this.roots = roots;
        this.steps = steps;
    }

    /** A targets proposal ready to publish: the file with its signatures, and what the audit says of it. */
    record Publishable(Proposal proposal, RoleFile<Targets> file, String summary) {
    }

    /**
     * Targets N+1, the served content with a new expiry, for root proposal {@code rootProposal}'s targets keys to
     * sign: what a root that hands targets to officers is published with. Open as long as that root proposal.
     */
    String proposeWithRoot(Proposal rootProposal, String actor, Instant now) {
        Targets current = roots.currentTargets().metadata();
        Targets next = TargetsCeremony.next(current, current, Settings.expiries().expiresFor("targets", now), now);
        Proposal p = Proposal.targets("tp-" + UUID.randomUUID(), Math.toIntExact(current.version()), rootProposal.version(),
                rootProposal.id(), "top-level targets goes to officers with root version " + rootProposal.version(),
                TargetsCeremony.signedBytes(next).toArray(), actor, now, rootProposal.openUntil());
        em.persist(p);
        em.flush();
        return p.id();
    }

    /**
     * The targets proposal published with {@code rootProposal}, signed by a threshold of {@code nextRoot}'s targets
     * keys; otherwise 409 {@code ceremony.threshold-not-met} and nothing is published.
     */
    Publishable publishableWithRoot(Proposal rootProposal, Root nextRoot, Instant now) {
        Proposal p = em.createNamedQuery(Proposal.LINKED, Proposal.class).setParameter("rootProposal", rootProposal.id())
                .getResultList().stream().filter(t -> t.state() == Proposal.State.PENDING).findFirst()
                .orElseThrow(() -> new CeremonyFailure("ceremony.threshold-not-met", ErrorKind.CONFLICT, "root "
                        + rootProposal.version() + " hands top-level targets to officers, but no pending targets proposal"
                        + " goes with it; propose the root again"));
        Targets served = roots.currentTargets().metadata();
        ProposalSteps.requireOpen(p, p.baseVersion() == served.version(), "targets version " + served.version(), now);
        return publishable(p, nextRoot, "root " + rootProposal.version() + " hands top-level targets to officers: ", now);
    }

    /**
     * The proposal's file once {@code root}'s targets threshold is met; 409 {@code ceremony.threshold-not-met} before,
     * and 409 {@code ceremony.expired} once the file's own expiry has passed: every client would refuse it, and the
     * fleet would stop updating until the next ceremony.
     */
    Publishable publishable(Proposal p, Root root, String why, Instant now) {
        Signed<Targets> proposal = TargetsCeremony.proposal(Bytes.of(p.signedBytes()));
        if (!proposal.signed().expires().isAfter(now)) {
            throw new CeremonyFailure("ceremony.expired", ErrorKind.CONFLICT, why + "targets version " + p.version()
                    + " expired at " + proposal.signed().expires() + " before it was published; propose it again with a"
                    + " later expiry");
        }
        List<Signature> sigs = steps.signatures(p, id -> TargetsCeremony.targetsKey(root, id).isPresent());
        VerificationResult r = TargetsCeremony.tally(root, proposal, sigs);
        if (!r.thresholdMet()) {
            throw new CeremonyFailure("ceremony.threshold-not-met", ErrorKind.CONFLICT, why + "targets version "
                    + p.version() + " needs " + r.threshold() + " signature(s) of root " + root.version()
                    + "'s targets keys, has " + r.validKeyIds().size() + "; not published, still pending");
        }
        RoleFile<Targets> file = TargetsCeremony.publishable(root, proposal, sigs);
        return new Publishable(p, file, "targets version " + p.version() + " published, sha256 "
                + proposal.signedBytes().sha256Hex() + ", signed by " + sigs.stream().map(Signature::keyId).toList());
    }

    /**
     * The root whose targets keys sign {@code p}: that of the root proposal it goes with, else the served root
     * (a root published since with other targets keys makes the proposal superseded: {@link #isCurrent}).
     */
    Root signingRoot(Proposal p) {
        Proposal rootProposal = rootProposal(p);
        if (rootProposal != null) return RootCeremony.proposal(Bytes.of(rootProposal.signedBytes())).signed();
        return roots.currentRoot().metadata();
    }

    /**
     * Whether {@code p} still describes the next targets version: made against the served targets, and either going
     * with a root proposal that is still pending or made under a root whose targets keys the served root keeps.
     */
    boolean isCurrent(Proposal p) {
        if (p.baseVersion() != roots.currentTargets().version()) return false;
        Proposal rootProposal = rootProposal(p);
        if (rootProposal != null) return rootProposal.state() == Proposal.State.PENDING;
        Root served = roots.currentRoot().metadata();
        if (served.version() == p.rootVersion()) return true;
        Root madeUnder = roots.storedRoot(p.rootVersion()).metadata();
        return madeUnder.role("targets").equals(served.role("targets"));
    }

    /** Who holds the targets keys that sign {@code p}. */
    Map<String, String> holders(Proposal p) {
        Proposal rootProposal = rootProposal(p);
        if (rootProposal != null) return steps.holdersOfRootProposal(rootProposal, steps.baseRoot(rootProposal));
        return steps.holdersOf(roots.currentRoot().metadata());
    }

    TargetsProposalView view(Proposal p) {
        Signed<Targets> proposal = TargetsCeremony.proposal(Bytes.of(p.signedBytes()));
        Root root = p.state() == Proposal.State.PUBLISHED && p.rootProposalId() == null
                ? roots.storedRoot(p.rootVersion()).metadata() : signingRoot(p);
        Map<String, String> holders = holders(p);
        List<ProposalSignature> rows = steps.stored(p);
        VerificationResult r = TargetsCeremony.tally(root, proposal,
                rows.stream().map(s -> new Signature(s.keyId(), s.sig())).toList());
        List<TargetsSignature> shown = rows.stream().map(s -> new TargetsSignature(s.keyId(),
                holders.getOrDefault(s.keyId(), ProposalSteps.UNKNOWN_HOLDER), s.signedBy(), s.signedAt(),
                r.validKeyIds().contains(s.keyId()))).toList();
        List<String> keyIds = root.role("targets").keyIds();
        ThresholdStatus status = new ThresholdStatus(Math.toIntExact(root.version()), r.threshold(),
                keyIds.stream().filter(r.validKeyIds()::contains).toList(),
                keyIds.stream().filter(id -> !r.validKeyIds().contains(id)).toList(), r.thresholdMet());
        Targets before = p.baseVersion() == roots.currentTargets().version() ? roots.currentTargets().metadata()
                : roots.storedTargets(p.baseVersion()).metadata();
        Map<String, String> delegatedHolders = new LinkedHashMap<>();
        roots.onlineKeyIds().forEach(id -> delegatedHolders.put(id, RootCeremonies.SERVER));
        return new TargetsProposalView(p.id(), p.state().name(), p.baseVersion(), p.version(),
                Math.toIntExact(root.version()), p.rootProposalId(), p.reason(), p.proposedBy(), p.createdAt(),
                p.openUntil(), p.closedBy(), p.closedAt(), proposal.signedBytes().sha256Hex(),
                TargetsDiffs.diff(before, proposal.signed(), delegatedHolders), root.keysOf("targets").entrySet().stream()
                .map(e -> new CeremonyKey(e.getKey(), e.getValue().keyType(),
                        holders.getOrDefault(e.getKey(), ProposalSteps.UNKNOWN_HOLDER))).toList(), shown, status,
                p.state() == Proposal.State.PENDING && p.rootProposalId() == null && r.thresholdMet() && isCurrent(p));
    }

    private Proposal rootProposal(Proposal p) {
        return p.rootProposalId() == null ? null : em.find(Proposal.class, p.rootProposalId());
    }
}
