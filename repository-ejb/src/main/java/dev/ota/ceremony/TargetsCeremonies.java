package dev.ota.ceremony;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.ceremony.CeremonyViews.TargetsProposalView;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.publishing.PublishResult;
import dev.ota.publishing.RepositoryPublisher;
import dev.ota.publishing.RootReader;
import dev.ota.repository.Settings;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.repository.TargetsCeremony;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Threshold ceremonies for top-level targets once a root ceremony gave its keys to officers (k of n, the root's
 * {@code roles.targets}): propose targets N+1 (a new expiry; the served delegations), add officers' detached
 * signatures, publish with a new snapshot and timestamp once a threshold of the served root's targets keys signed.
 * The server never signs top-level targets itself while officers hold it. Every step is audited, refusals too, and a
 * refusal changes nothing. The steps are the root ceremony's ({@link ProposalSteps}).
 */
@Stateless
@RolesAllowed(Roles.SECURITY_OFFICER)
public class TargetsCeremonies {
    /** The actor of what the server does by itself. */
    static final String SYSTEM = "system";

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @EJB
    private RepositoryPublisher publisher;

    @EJB
    private RootReader roots;

    @Inject
    private Clock clock;

    @Resource
    private SessionContext context;

    private ProposalSteps steps;
    private TargetsProposals proposals;

    @PostConstruct
    void steps() {
        steps = new ProposalSteps(em, roots);
        proposals = new TargetsProposals(em, roots, steps);
    }

    /**
     * A new proposal for targets N+1: the served targets and delegations with a new expiry (the default when the body
     * names none). Earlier pending targets proposals of their own are superseded. 409 {@code ceremony.targets-online}
     * while this server signs top-level targets itself.
     */
    public TargetsProposalView propose(byte[] body) {
        String actor = actor();
        try {
            ProposalRequests.TargetsRequest request = ProposalRequests.targetsProposal(body);
            Instant now = now();
            Root root = roots.currentRoot().metadata();
            if (roots.canSignUnder(root, "targets")) {
                throw new CeremonyFailure("ceremony.targets-online", ErrorKind.CONFLICT, "top-level targets is signed "
                        + "online by this server; a targets ceremony is for offline targets (give its keys to officers in"
                        + " a root ceremony first)");
            }
            Targets current = roots.currentTargets().metadata();
            Targets next;
            try {
                next = TargetsCeremony.next(current, current,
                        request.expires().orElse(Settings.expiries().expiresFor("targets", now)), now);
            } catch (IllegalArgumentException e) {
                throw ProposalRequests.invalid(e.getMessage());
            }
            List<String> superseded = new ArrayList<>();
            Proposal p = create(root, current, next, request.reason().orElse("new expiry " + next.expires()), actor, now,
                    superseded);
            Bytes bytes = TargetsCeremony.signedBytes(next);
            TargetsProposalView view = proposals.view(p);
            for (String id : superseded) {
                audit.record(actor, "targets.supersede", id, Outcome.SUCCESS, "by a newer proposal");
            }
            audit.record(actor, "targets.propose", p.id(), Outcome.SUCCESS, "targets version " + p.version()
                    + ", expires " + next.expires() + ", sha256 " + bytes.sha256Hex() + ", for root " + root.version()
                    + "'s targets keys (" + root.role("targets").threshold() + " of " + root.role("targets").keyIds().size()
                    + "); " + p.reason());
            return view;
        } catch (OtaException e) {
            audit.recordAttempt(actor, "targets.propose", "-", Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * What the server does when offline top-level targets comes within its renewal margin (the margin the server
     * renews online roles within, {@code Expiries.refreshMargin}) and no proposal for its next version is pending:
     * proposes targets N+1, the served content with the default expiry, for the officers to sign. It cannot sign
     * targets itself. Audited as {@code system}; null when nothing was due.
     */
    @PermitAll
    public TargetsProposalView proposeRenewalIfDue() {
        Instant now = now();
        Targets current = roots.currentTargets().metadata();
        if (!TargetsCeremony.renewalDue(current.expires(), Settings.expiries().refreshMargin("targets"), now)) return null;
        Root root = roots.currentRoot().metadata();
        // Online targets is the expiry refresh's to renew.
        if (roots.canSignUnder(root, "targets")) return null;
        boolean proposed = steps.pending(Proposal.TARGETS).stream().anyMatch(p -> p.rootProposalId() == null
                && p.baseVersion() == current.version() && now.isBefore(p.openUntil()));
        if (proposed) return null;
        Targets next = TargetsCeremony.next(current, current, Settings.expiries().expiresFor("targets", now), now);
        String reason = "top-level targets version " + current.version() + " expires at " + current.expires()
                + ", within its renewal margin";
        List<String> superseded = new ArrayList<>();
        Proposal p = create(root, current, next, reason, SYSTEM, now, superseded);
        TargetsProposalView view = proposals.view(p);
        for (String id : superseded) {
            audit.record(SYSTEM, "targets.supersede", id, Outcome.SUCCESS, "by a renewal proposal");
        }
        audit.record(SYSTEM, "targets.propose", p.id(), Outcome.SUCCESS, "targets version " + p.version() + ", expires "
                + next.expires() + ", sha256 " + view.signedBytesSha256() + "; " + reason);
        return view;
    }

    /** Supersedes the pending targets proposals of their own and stores the new one. */
    private Proposal create(Root root, Targets current, Targets next, String reason, String actor, Instant now,
                            List<String> superseded) {
        for (Proposal pending : steps.pending(Proposal.TARGETS)) {
            if (pending.rootProposalId() != null) continue;
            pending.close(Proposal.State.SUPERSEDED, actor, now);
            superseded.add(pending.id());
        }
        Proposal p = Proposal.targets("tp-" + UUID.randomUUID(), Math.toIntExact(current.version()),
                Math.toIntExact(root.version()), null, reason, TargetsCeremony.signedBytes(next).toArray(), actor, now,
                now.plus(ProposalSteps.window()));
        em.persist(p);
        em.flush();
        return p;
    }

    /** The newest proposals first. */
    public List<TargetsProposalView> list() {
        return em.createNamedQuery(Proposal.ALL, Proposal.class).setParameter("role", Proposal.TARGETS)
                .setMaxResults(RootCeremonies.LIST_LIMIT).getResultList().stream().map(proposals::view).toList();
    }

    public TargetsProposalView get(String id) {
        return proposals.view(steps.find(id, Proposal.TARGETS));
    }

    /** The exact bytes to sign: the canonical JSON of the proposed targets' {@code signed}. */
    public byte[] signedBytes(String id) {
        return steps.find(id, Proposal.TARGETS).signedBytes();
    }

    /**
     * Adds one officer's detached signature with a targets key of the proposal's root. Refused, audited and not
     * stored as in the root ceremony: unknown proposal, closed, superseded or expired, a key that is not one of that
     * root's targets keys, someone else's key, a key that signed already, a signature over other bytes.
     */
    public TargetsProposalView sign(String id, byte[] body) {
        String actor = actor();
        try {
            Proposal p = steps.find(id, Proposal.TARGETS);
            Signature s = ProposalRequests.signature(body);
            Instant now = now();
            requireOpen(p, now);
            Root root = proposals.signingRoot(p);
            Signed<Targets> proposal = TargetsCeremony.proposal(Bytes.of(p.signedBytes()));
            Key key = TargetsCeremony.targetsKey(root, s.keyId()).orElseThrow(() -> new CeremonyFailure(
                    "ceremony.unknown-key", ErrorKind.INVALID_INPUT, "key " + s.keyId() + " is not a top-level targets"
                    + " key of root version " + root.version()));
            String holder = proposals.holders(p).getOrDefault(s.keyId(), ProposalSteps.UNKNOWN_HOLDER);
            steps.accept(p, s, key, proposal.signedBytes(), holder, actor, now, TargetsCeremony::signs);
            TargetsProposalView v = proposals.view(p);
            audit.record(actor, "targets.sign", p.id(), Outcome.SUCCESS, "key " + s.keyId() + "; root " + root.version()
                    + "'s targets keys " + v.threshold().signedKeyIds().size() + " of " + v.threshold().threshold());
            return v;
        } catch (OtaException e) {
            audit.recordAttempt(actor, "targets.sign", id == null ? "-" : id, Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * Publishes the proposal as targets N+1, then a new snapshot and timestamp, once a threshold of the served root's
     * targets keys has signed; until then 409 {@code ceremony.threshold-not-met}. A proposal that goes with a root
     * proposal is published by that root's publish (409 {@code ceremony.with-root}).
     */
    public TargetsProposalView publish(String id) {
        String actor = actor();
        try {
            Proposal p = steps.find(id, Proposal.TARGETS);
            Instant now = now();
            requireOpen(p, now);
            if (p.rootProposalId() != null) {
                throw new CeremonyFailure("ceremony.with-root", ErrorKind.CONFLICT, "targets proposal " + p.id()
                        + " is published with root proposal " + p.rootProposalId() + ": publish that one");
            }
            TargetsProposals.Publishable publishable = proposals.publishable(p, roots.currentRoot().metadata(), "", now);
            PublishResult result = publisher.publishTargets(publishable.file());
            p.close(Proposal.State.PUBLISHED, actor, now);
            em.flush();
            TargetsProposalView view = proposals.view(p);
            audit.record(actor, "targets.publish", p.id(), Outcome.SUCCESS, publishable.summary() + "; also "
                    + result.changedRoles());
            return view;
        } catch (OtaException e) {
            audit.recordAttempt(actor, "targets.publish", id == null ? "-" : id, Outcome.DENIED, e.code() + ": "
                    + e.getMessage());
            throw e;
        }
    }

    private void requireOpen(Proposal p, Instant now) {
        ProposalSteps.requireOpen(p, proposals.isCurrent(p), "targets version " + roots.currentTargets().version()
                + " under root version " + roots.currentRoot().version(), now);
    }

    private String actor() {
        return context.getCallerPrincipal().getName();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
