package dev.ota.ceremony;

import dev.ota.account.Roles;
import dev.ota.error.ErrorKind;
import dev.ota.publishing.RootReader;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Key;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signature;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The steps every threshold ceremony takes alike, root's and top-level targets': finding a proposal of its role,
 * refusing one that is closed or past its window, checking and storing one officer's detached signature, and who
 * holds which key. Each refusal is a {@link CeremonyFailure} with its stable code; the callers audit.
 */
final class ProposalSteps {
    static final String UNKNOWN_HOLDER = "unknown";

    private final EntityManager em;
    private final RootReader roots;

    ProposalSteps(EntityManager em, RootReader roots) {
        this.em = em;
        this.roots = roots;
    }

    Proposal find(String id, String role) {
        Proposal p = id == null || id.length() > 64 ? null : em.find(Proposal.class, id);
        if (p == null || !p.role().equals(role)) {
            throw new CeremonyFailure("ceremony.not-found", ErrorKind.NOT_FOUND, "no " + role + " proposal with that id");
        }
        return p;
    }

    /**
     * Refuses a proposal that no longer takes signatures: published, superseded (by a newer proposal, or because the
     * repository moved past the version it was made against: {@code current} false), or past its window.
     */
    static void requireOpen(Proposal p, boolean current, String served, Instant now) {
        if (p.state() == Proposal.State.PUBLISHED) {
            throw new CeremonyFailure("ceremony.published", ErrorKind.CONFLICT, "proposal " + p.id() + " is published already");
        }
        if (p.state() == Proposal.State.SUPERSEDED || !current) {
            throw new CeremonyFailure("ceremony.superseded", ErrorKind.CONFLICT, "proposal " + p.id()
                    + " is superseded: the repository serves " + served
                    + (p.state() == Proposal.State.SUPERSEDED ? " and a newer proposal exists" : ""));
        }
        if (!now.isBefore(p.openUntil())) {
            throw new CeremonyFailure("ceremony.expired", ErrorKind.CONFLICT, "proposal " + p.id() + " was open for"
                    + " signatures until " + p.openUntil() + "; propose again");
        }
    }

    /**
     * Stores {@code s} after checking it: the caller holds the key ({@code ceremony.not-holder}), the key has not
     * signed this proposal yet ({@code ceremony.already-signed}), and it is the key's signature over exactly
     * {@code signedBytes} ({@code ceremony.bad-signature}). {@code signs} is the ceremony's own check.
     */
    void accept(Proposal p, Signature s, Key key, Bytes signedBytes, String holder, String actor, Instant now,
                Verification signs) {
        if (!holder.equals(actor)) {
            throw new CeremonyFailure("ceremony.not-holder", ErrorKind.FORBIDDEN, "key " + s.keyId()
                    + " is held by '" + holder + "', not by you");
        }
        if (em.find(ProposalSignature.class, new ProposalSignature.Key(p.id(), s.keyId())) != null) {
            throw new CeremonyFailure("ceremony.already-signed", ErrorKind.CONFLICT, "key " + s.keyId()
                    + " has already signed proposal " + p.id());
        }
        if (!signs.verify(key, signedBytes, s.sig())) {
            throw new CeremonyFailure("ceremony.bad-signature", ErrorKind.INVALID_INPUT, "the signature is not key "
                    + s.keyId() + "'s over the canonical bytes of proposal " + p.id() + " (sha256 "
                    + signedBytes.sha256Hex() + ")");
        }
        em.persist(new ProposalSignature(p.id(), s.keyId(), s.sig(), actor, now));
        em.flush();
    }

    /** A ceremony's signature check: {@code sig} is {@code key}'s over {@code bytes}. */
    @FunctionalInterface
    interface Verification {
        boolean verify(Key key, Bytes bytes, String sig);
    }

    List<ProposalSignature> stored(Proposal p) {
        return em.createNamedQuery(ProposalSignature.OF_PROPOSAL, ProposalSignature.class)
                .setParameter("proposal", p.id()).getResultList();
    }

    /** Stored signatures whose key {@code counts}, each once. */
    List<Signature> signatures(Proposal p, Predicate<String> counts) {
        List<Signature> out = new ArrayList<>();
        for (ProposalSignature s : stored(p)) {
            if (counts.test(s.keyId())) out.add(new Signature(s.keyId(), s.sig()));
        }
        return out;
    }

    /** Pending proposals of {@code role}, newest first. */
    List<Proposal> pending(String role) {
        return em.createNamedQuery(Proposal.IN_STATE, Proposal.class).setParameter("role", role)
                .setParameter("state", Proposal.State.PENDING.name()).getResultList();
    }

    /**
     * Who holds each key of {@code root}: as the root proposal that published it recorded, and the server for keys
     * in its keystore (the bootstrap root's).
     */
    Map<String, String> holdersOf(Root root) {
        Map<String, String> out = new LinkedHashMap<>();
        List<Proposal> published = em.createQuery("SELECT p FROM Proposal p WHERE p.role = :role AND p.state = :state"
                        + " AND p.version = :version", Proposal.class).setParameter("role", Proposal.ROOT)
                .setParameter("state", Proposal.State.PUBLISHED.name())
                .setParameter("version", Math.toIntExact(root.version())).getResultList();
        if (!published.isEmpty()) out.putAll(ProposalRequests.holders(published.get(0).holdersJson()));
        for (SigningKey k : roots.onlineRootKeys()) out.putIfAbsent(k.keyId(), RootCeremonies.SERVER);
        var online = roots.onlineKeyIds();
        for (String id : root.keys().keySet()) {
            out.putIfAbsent(id, online.contains(id) ? RootCeremonies.SERVER : UNKNOWN_HOLDER);
        }
        out.keySet().retainAll(root.keys().keySet());
        return out;
    }

    /** Root N of a root proposal: the stored root it was made against. */
    Root baseRoot(Proposal p) {
        Root current = roots.currentRoot().metadata();
        if (current.version() == p.baseVersion()) return current;
        return roots.storedRoot(p.baseVersion()).metadata();
    }

    /** Holders of a root proposal's keys, and of its root N's (which the proposal may retire). */
    Map<String, String> holdersOfRootProposal(Proposal p, Root base) {
        Map<String, String> all = new LinkedHashMap<>(holdersOf(base));
        all.putAll(ProposalRequests.holders(p.holdersJson()));
        return all;
    }

    boolean isSecurityOfficer(String account) {
        Number n = (Number) em.createNativeQuery("SELECT COUNT(*) FROM app_user u JOIN app_user_role r ON r.user_id = u.id"
                        + " WHERE u.username = ? AND r.role_name = ? AND u.enabled = TRUE")
                .setParameter(1, account).setParameter(2, Roles.SECURITY_OFFICER).getSingleResult();
        return n.longValue() > 0;
    }

    /** How long a proposal takes signatures: {@code OTA_CEREMONY_WINDOW} (ISO-8601), 14 days by default. */
    static Duration window() {
        String raw = System.getenv("OTA_CEREMONY_WINDOW");
        try {
            return raw == null || raw.isBlank() ? Duration.ofDays(14) : Duration.parse(raw.strip());
        } catch (java.time.format.DateTimeParseException e) {
            return Duration.ofDays(14);
        }
    }
}
