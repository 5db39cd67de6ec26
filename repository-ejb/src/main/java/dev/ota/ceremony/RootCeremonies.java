package dev.ota.ceremony;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.ceremony.CeremonyViews.CeremonyKey;
import dev.ota.ceremony.CeremonyViews.CeremonySignature;
import dev.ota.ceremony.CeremonyViews.CurrentRoot;
import dev.ota.ceremony.CeremonyViews.RoleChange;
import dev.ota.ceremony.CeremonyViews.RoleKeysView;
import dev.ota.ceremony.CeremonyViews.RootDiff;
import dev.ota.ceremony.CeremonyViews.RootProposalView;
import dev.ota.ceremony.CeremonyViews.ThresholdStatus;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.publishing.PublishResult;
import dev.ota.publishing.RepositoryPublisher;
import dev.ota.publishing.RootReader;
import dev.ota.repository.Settings;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.repository.RoleFile;
import dev.ota.tuf.repository.RootCeremony;
import dev.ota.tuf.repository.UnreachableRoleException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Root ceremonies as the management API and the portal drive them, for security officers only: propose root N+1,
 * add detached signatures, publish once both thresholds are met. Every step is audited, every refusal too, and a
 * refusal changes nothing. The server's own root keys (the embedded online root) sign a proposal when it is made,
 * for the current root's threshold only where they are its root keys; officers' private keys never reach the server.
 */
@Stateless
@RolesAllowed(Roles.SECURITY_OFFICER)
public class RootCeremonies {
    /** How many proposals a list shows, newest first. */
    public static final int LIST_LIMIT = 100;
    /** What the server's own keys are shown as holding. */
    public static final String SERVER = "server (online keystore)";
    static final String UNKNOWN_HOLDER = ProposalSteps.UNKNOWN_HOLDER;

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
    private TargetsProposals targets;

    @PostConstruct
    void steps() {
        steps = new ProposalSteps(em, roots);
        targets = new TargetsProposals(em, roots, steps);
    }

    /** The served root with the holder of each key. */
    public CurrentRoot currentRoot() {
        Root root = roots.currentRoot().metadata();
        Map<String, String> holders = currentHolders(root);
        List<RoleKeysView> roles = new ArrayList<>();
        for (String role : Root.TOP_LEVEL_ROLES) {
            List<CeremonyKey> keys = root.keysOf(role).entrySet().stream()
                    .map(e -> key(e.getKey(), e.getValue(), holders)).toList();
            roles.add(new RoleKeysView(role, root.role(role).threshold(), keys));
        }
        return new CurrentRoot(Math.toIntExact(root.version()), root.expires(), roles);
    }

    /**
     * A new proposal for root N+1 from the request body ({@link ProposalRequests}); earlier pending proposals are
     * superseded. The server signs it at once with the root keys it holds that root N authorises.
     */
    public RootProposalView propose(byte[] body) {
        String actor = actor();
        try {
            Instant now = now();
            Root current = roots.currentRoot().metadata();
            ProposalRequests.Proposal request = ProposalRequests.proposal(body, current);
            Root next;
            try {
                next = request.edit().apply(current, now.plus(Settings.expiries().root()), now);
            } catch (UnreachableRoleException e) {
                throw new CeremonyFailure("ceremony.role-unreachable", ErrorKind.INVALID_INPUT, e.getMessage());
            } catch (IllegalArgumentException e) {
                throw ProposalRequests.invalid(e.getMessage());
            }
            for (String holder : Set.copyOf(request.newHolders().values())) {
                if (!steps.isSecurityOfficer(holder)) {
                    throw ProposalRequests.invalid("holder '" + holder + "' is not an enabled security officer's account");
                }
            }
            Map<String, String> holders = new LinkedHashMap<>(currentHolders(current));
            holders.putAll(request.newHolders());
            holders.keySet().retainAll(next.keys().keySet());
            requireDistinctHolders(next, "root", holders);
            boolean targetsToOfficers = false;
            for (String role : List.of("targets", "snapshot", "timestamp")) {
                if (next.role(role).equals(current.role(role)) || roots.canSignUnder(next, role)) continue;
                if (role.equals("targets") && heldByOfficersOnly(next, holders)) {
                    // Offline targets: the officers sign targets N+1 under the new keys before root N+1 is published.
                    requireDistinctHolders(next, "targets", holders);
                    targetsToOfficers = true;
                    continue;
                }
                throw new CeremonyFailure("ceremony.role-unreachable", ErrorKind.INVALID_INPUT, "the new keys of '"
                        + role + "' are not held by this server, which signs it online: the repository could not "
                        + "publish its next " + role + (role.equals("targets") ? " (to hand top-level targets to "
                        + "officers, give it only officers' keys, each with its holder)" : ""));
            }
            Bytes bytes = RootCeremony.signedBytes(next);
            List<String> superseded = new ArrayList<>();
            for (Proposal pending : steps.pending(Proposal.ROOT)) {
                pending.close(Proposal.State.SUPERSEDED, actor, now);
                superseded.add(pending.id());
                for (Proposal linked : linked(pending)) {
                    linked.close(Proposal.State.SUPERSEDED, actor, now);
                    superseded.add(linked.id());
                }
            }
            Proposal p = new Proposal("rp-" + UUID.randomUUID(), Math.toIntExact(current.version()),
                    bytes.toArray(), ProposalRequests.holdersJson(holders), actor, now, now.plus(ProposalSteps.window()));
            em.persist(p);
            // No JPA relationship orders the inserts: the proposal row must exist before its signatures' rows.
            em.flush();
            String targetsProposal = targetsToOfficers ? targets.proposeWithRoot(p, actor, now) : null;
            List<String> serverSigned = new ArrayList<>();
            for (SigningKey k : roots.onlineRootKeys()) {
                if (current.keysOf("root").containsKey(k.keyId()) || next.keysOf("root").containsKey(k.keyId())) {
                    Signature s = k.sign(bytes.toArray());
                    em.persist(new ProposalSignature(p.id(), s.keyId(), s.sig(), SERVER, now));
                    serverSigned.add(s.keyId());
                }
            }
            em.flush();
            // Audit entries last: they lock the audit chain until commit, and a refusal after them would be recorded
            // in a transaction of its own that waits for that lock.
            RootProposalView view = view(p);
            for (String id : superseded) {
                audit.record(actor, "root.supersede", id, Outcome.SUCCESS, "by a newer proposal");
            }
            audit.record(actor, "root.propose", p.id(), Outcome.SUCCESS, "root version " + p.version() + ", sha256 "
                    + bytes.sha256Hex() + "; " + summary(diff(current, next, holders, holders))
                    + (serverSigned.isEmpty() ? "" : "; signed by the server's online root key " + serverSigned)
                    + (targetsProposal == null ? "" : "; top-level targets goes to officers: targets proposal "
                    + targetsProposal + " is published with it"));
            if (targetsProposal != null) {
                audit.record(actor, "targets.propose", targetsProposal, Outcome.SUCCESS, "with root proposal " + p.id()
                        + ", signed by root " + p.version() + "'s targets keys");
            }
            return view;
        } catch (OtaException e) {
            audit.recordAttempt(actor, "root.propose", "-", Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /** The newest proposals first. */
    public List<RootProposalView> list() {
        return em.createNamedQuery(Proposal.ALL, Proposal.class).setParameter("role", Proposal.ROOT)
                .setMaxResults(LIST_LIMIT).getResultList()
                .stream().map(this::view).toList();
    }

    public RootProposalView get(String id) {
        return view(find(id));
    }

    /** The exact bytes to sign: the canonical JSON of the proposed root's {@code signed}. */
    public byte[] signedBytes(String id) {
        return find(id).signedBytes();
    }

    /**
     * Adds one officer's detached signature. Refused, audited and not stored: an unknown proposal, one that is
     * closed, superseded or expired, a key of neither root's root role, a key held by someone else, a key that has
     * signed already, a signature that is not over the proposal's bytes.
     */
    public RootProposalView sign(String id, byte[] body) {
        String actor = actor();
        try {
            Proposal p = find(id);
            Signature s = ProposalRequests.signature(body);
            Instant now = now();
            Root current = roots.currentRoot().metadata();
            requireOpen(p, current, now);
            Signed<Root> proposal = RootCeremony.proposal(Bytes.of(p.signedBytes()));
            Key key = RootCeremony.rootKey(current, proposal.signed(), s.keyId()).orElseThrow(() ->
                    new CeremonyFailure("ceremony.unknown-key", ErrorKind.INVALID_INPUT, "key " + s.keyId()
                            + " is a root key of neither root version " + current.version() + " nor the proposed "
                            + p.version()));
            String holder = holders(p, current).getOrDefault(s.keyId(), UNKNOWN_HOLDER);
            steps.accept(p, s, key, proposal.signedBytes(), holder, actor, now, RootCeremony::signs);
            RootProposalView v = view(p);
            audit.record(actor, "root.sign", p.id(), Outcome.SUCCESS, "key " + s.keyId() + "; root "
                    + current.version() + " " + v.currentRoot().signedKeyIds().size() + " of " + v.currentRoot().threshold()
                    + ", root " + p.version() + " " + v.newRoot().signedKeyIds().size() + " of " + v.newRoot().threshold());
            return v;
        } catch (OtaException e) {
            audit.recordAttempt(actor, "root.sign", id == null ? "-" : id, Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    /**
     * Publishes the proposal as root N+1 once a threshold of root N's and of its own root keys have signed; until
     * then it stays pending (409 {@code ceremony.threshold-not-met}).
     */
    public RootProposalView publish(String id) {
        String actor = actor();
        try {
            Proposal p = find(id);
            Instant now = now();
            Root current = roots.currentRoot().metadata();
            requireOpen(p, current, now);
            Signed<Root> proposal = RootCeremony.proposal(Bytes.of(p.signedBytes()));
            if (!proposal.signed().expires().isAfter(now)) {
                // Every client would refuse it and stop updating until the next ceremony.
                throw new CeremonyFailure("ceremony.expired", ErrorKind.CONFLICT, "root version " + p.version()
                        + " expired at " + proposal.signed().expires() + " before it was published; propose it again"
                        + " with a later expiry");
            }
            List<Signature> sigs = signatures(p, current, proposal.signed());
            RootCeremony.Tally tally = RootCeremony.tally(current, proposal, sigs);
            if (!tally.complete()) {
                throw new CeremonyFailure("ceremony.threshold-not-met", ErrorKind.CONFLICT, "not published, still "
                        + "pending: root " + current.version() + " needs " + need(tally.previous()) + "; root "
                        + p.version() + " needs " + need(tally.next()));
            }
            RoleFile<Root> file = RoleFile.of("root", proposal.withSignatures(sigs));
            Root next = proposal.signed();
            Optional<TargetsProposals.Publishable> withTargets = Optional.empty();
            if (!next.role("targets").equals(current.role("targets")) && !roots.canSignUnder(next, "targets")) {
                // Officers take top-level targets: it is published now, signed by root N+1's targets keys, or not at all.
                withTargets = Optional.of(targets.publishableWithRoot(p, next, now));
            }
            PublishResult result = publisher.publishRoot(file, withTargets.map(TargetsProposals.Publishable::file));
            withTargets.ifPresent(t -> t.proposal().close(Proposal.State.PUBLISHED, actor, now));
            p.close(Proposal.State.PUBLISHED, actor, now);
            em.flush();
            RootProposalView view = view(p);
            audit.record(actor, "root.publish", p.id(), Outcome.SUCCESS, "root version " + p.version() + " published"
                    + ", sha256 " + file.bytes().sha256Hex() + ", signed by " + sigs.stream().map(Signature::keyId).toList()
                    + "; also " + result.changedRoles());
            if (withTargets.isPresent()) {
                audit.record(actor, "targets.publish", withTargets.get().proposal().id(), Outcome.SUCCESS,
                        withTargets.get().summary() + ", with root version " + p.version());
            }
            return view;
        } catch (OtaException e) {
            audit.recordAttempt(actor, "root.publish", id == null ? "-" : id, Outcome.DENIED, e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    private static String need(VerificationResult r) {
        return r.threshold() + " signature(s), has " + r.validKeyIds().size() + (r.thresholdMet() ? " (met)" : "");
    }

    private static void requireOpen(Proposal p, Root current, Instant now) {
        ProposalSteps.requireOpen(p, p.baseVersion() == current.version(), "root version " + current.version(), now);
    }

    /** Stored signatures that count for either root, each once. */
    private List<Signature> signatures(Proposal p, Root current, Root next) {
        return steps.signatures(p, keyId -> RootCeremony.rootKey(current, next, keyId).isPresent());
    }

    private RootProposalView view(Proposal p) {
        Signed<Root> proposal = RootCeremony.proposal(Bytes.of(p.signedBytes()));
        Root next = proposal.signed();
        Root base = baseRoot(p);
        Map<String, String> holders = holders(p, base);
        List<ProposalSignature> rows = steps.stored(p);
        List<Signature> sigs = rows.stream().map(s -> new Signature(s.keyId(), s.sig())).toList();
        RootCeremony.Tally tally = RootCeremony.tally(base, proposal, sigs);
        List<CeremonySignature> shown = rows.stream().map(s -> new CeremonySignature(s.keyId(),
                holders.getOrDefault(s.keyId(), UNKNOWN_HOLDER), s.signedBy(), s.signedAt(),
                tally.previous().validKeyIds().contains(s.keyId()), tally.next().validKeyIds().contains(s.keyId()))).toList();
        return new RootProposalView(p.id(), p.state().name(), p.baseVersion(), p.version(), p.proposedBy(), p.createdAt(),
                p.openUntil(), p.closedBy(), p.closedAt(), proposal.signedBytes().sha256Hex(),
                diff(base, next, holders, holders), shown, status(base, tally.previous()), status(next, tally.next()),
                p.state() == Proposal.State.PENDING && tally.complete(),
                linked(p).stream().map(Proposal::id).findFirst().orElse(null));
    }

    private static ThresholdStatus status(Root root, VerificationResult r) {
        List<String> signed = root.role("root").keyIds().stream().filter(r.validKeyIds()::contains).toList();
        List<String> missing = root.role("root").keyIds().stream().filter(id -> !r.validKeyIds().contains(id)).toList();
        return new ThresholdStatus(Math.toIntExact(root.version()), r.threshold(), signed, missing, r.thresholdMet());
    }

    /** Root N of a proposal: the stored root it was made against. */
    private Root baseRoot(Proposal p) {
        return steps.baseRoot(p);
    }

    /** Holders of a proposal's keys, and of root N's (which the proposal may retire). */
    private Map<String, String> holders(Proposal p, Root base) {
        return steps.holdersOfRootProposal(p, base);
    }

    private Map<String, String> currentHolders(Root root) {
        return steps.holdersOf(root);
    }

    /** Targets proposals published with {@code p}. */
    private List<Proposal> linked(Proposal p) {
        return em.createNamedQuery(Proposal.LINKED, Proposal.class).setParameter("rootProposal", p.id()).getResultList();
    }

    /** Whether officers, and not this server, hold every key of {@code root}'s targets role. */
    private static boolean heldByOfficersOnly(Root root, Map<String, String> holders) {
        return root.role("targets").keyIds().stream().map(id -> holders.getOrDefault(id, UNKNOWN_HOLDER))
                .noneMatch(h -> h.equals(UNKNOWN_HOLDER) || h.equals(SERVER));
    }

    /** k of n officers means k people: one officer holding a threshold of keys would sign alone. */
    private static void requireDistinctHolders(Root next, String role, Map<String, String> holders) {
        Set<String> distinct = new java.util.TreeSet<>();
        next.role(role).keyIds().forEach(id -> distinct.add(holders.getOrDefault(id, UNKNOWN_HOLDER)));
        distinct.remove(UNKNOWN_HOLDER);
        if (distinct.size() < next.role(role).threshold()) {
            throw ProposalRequests.invalid(role + "'s threshold of " + next.role(role).threshold() + " needs as "
                    + "many different holders; its keys are held by " + distinct);
        }
    }

    static RootDiff diff(Root current, Root next, Map<String, String> before, Map<String, String> after) {
        List<RoleChange> roles = new ArrayList<>();
        for (String role : Root.TOP_LEVEL_ROLES) {
            TargetsDiffs.KeySplit keys = TargetsDiffs.KeySplit.of(current.keysOf(role), next.keysOf(role), before, after);
            roles.add(new RoleChange(role, current.role(role).threshold(), next.role(role).threshold(), keys.added(),
                    keys.removed(), keys.kept()));
        }
        return new RootDiff(Math.toIntExact(current.version()), Math.toIntExact(next.version()), current.expires(),
                next.expires(), roles);
    }

    private static String summary(RootDiff d) {
        StringBuilder sb = new StringBuilder("expires " + d.expiresAfter());
        for (RoleChange c : d.roles()) {
            if (c.added().isEmpty() && c.removed().isEmpty() && c.thresholdBefore() == c.thresholdAfter()) continue;
            sb.append("; ").append(c.role()).append(' ').append(c.thresholdBefore()).append("->").append(c.thresholdAfter())
                    .append(" +").append(c.added().stream().map(k -> k.keyId().substring(0, 12) + "(" + k.holder() + ")").toList())
                    .append(" -").append(c.removed().stream().map(k -> k.keyId().substring(0, 12)).toList());
        }
        return sb.toString();
    }

    private static CeremonyKey key(String id, Key k, Map<String, String> holders) {
        return new CeremonyKey(id, k.keyType(), holders.getOrDefault(id, UNKNOWN_HOLDER));
    }

    private Proposal find(String id) {
        return steps.find(id, Proposal.ROOT);
    }

    private String actor() {
        return context.getCallerPrincipal().getName();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
