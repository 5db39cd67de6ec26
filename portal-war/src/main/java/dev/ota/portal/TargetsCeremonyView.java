package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.ceremony.CeremonyViews.CeremonyKey;
import dev.ota.ceremony.CeremonyViews.DelegationChange;
import dev.ota.ceremony.CeremonyViews.TargetsProposalView;
import dev.ota.ceremony.TargetsCeremonies;
import dev.ota.error.OtaException;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * Backs {@code app/targets-ceremony.xhtml} for security officers: the top-level targets proposals, and for the one
 * chosen its diff (delegations, expiry), the signers and signatures, signing in the browser with the root
 * ceremony's script ({@code js/root-signing.js}: the private key never leaves the browser) and publishing; an officer
 * may propose a new expiry.
 */
@Named
@ViewScoped
public class TargetsCeremonyView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient TargetsCeremonies ceremonies;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    private String id;
    private List<TargetsProposalView> proposals = List.of();
    private TargetsProposalView selected;
    private String canonicalBase64 = "";
    private List<String> myKeyIds = List.of();
    private String keyId;
    private String sig;
    private String expires;

    public void load() {
        if (!security.isCallerInRole(Roles.SECURITY_OFFICER)) {
            PortalRefusals.forbid(audit, me(), "the targets ceremony page");
            return;
        }
        refresh();
    }

    /** Proposes targets N+1 with the expiry typed (empty: the default). */
    public String propose() {
        String body = expires == null || expires.isBlank() ? "{}"
                : "{\"expires\":\"" + expires.strip().replaceAll("[^0-9A-Za-z:.-]", "") + "\"}";
        act(() -> {
            TargetsProposalView v = ceremonies.propose(body.getBytes(StandardCharsets.UTF_8));
            id = v.id();
            return "Targets version " + v.version() + " proposed, expires " + v.diff().expiresAfter() + ".";
        });
        return null;
    }

    /** Stores the detached signature the page's script made in the browser. */
    public String upload() {
        String body = RootCeremonyView.signatureBody(keyId, sig);
        act(() -> {
            TargetsProposalView v = ceremonies.sign(id, body.getBytes(StandardCharsets.UTF_8));
            return "Signature of key " + RootCeremonyView.shortId(keyId) + " added: " + v.threshold().signedKeyIds().size()
                    + " of " + v.threshold().threshold() + " targets keys of root " + v.rootVersion() + ".";
        });
        keyId = null;
        sig = null;
        return null;
    }

    public String publish() {
        act(() -> "Targets version " + ceremonies.publish(id).version() + " is published.");
        return null;
    }

    private void act(Supplier<String> action) {
        if (RootCeremonyView.acted(security, audit, "targets ceremonies", action)) refresh();
    }

    private void refresh() {
        proposals = ceremonies.list();
        selected = null;
        canonicalBase64 = "";
        myKeyIds = List.of();
        if (id == null || id.isBlank()) {
            return;
        }
        try {
            selected = ceremonies.get(id);
        } catch (OtaException e) {
            FacesContext.getCurrentInstance().addMessage(null,
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
            return;
        }
        canonicalBase64 = Base64.getEncoder().encodeToString(ceremonies.signedBytes(id));
        String me = me();
        List<String> signed = selected.signatures().stream().map(s -> s.keyId()).toList();
        myKeyIds = selected.signers().stream().filter(k -> k.holder().equals(me)).map(CeremonyKey::keyId)
                .filter(k -> !signed.contains(k)).toList();
    }

    private String me() {
        return security.getCallerPrincipal() == null ? null : security.getCallerPrincipal().getName();
    }

    public String keysOf(List<CeremonyKey> keys) {
        return RootCeremonyView.keys(keys);
    }

    /** A delegation's paths, before → after when they changed. */
    public String pathsOf(DelegationChange c) {
        String before = String.join(", ", c.pathsBefore());
        String after = String.join(", ", c.pathsAfter());
        return before.equals(after) ? after : (before.isEmpty() ? "—" : before) + " → " + (after.isEmpty() ? "—" : after);
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public List<TargetsProposalView> getProposals() {
        return proposals;
    }

    public TargetsProposalView getSelected() {
        return selected;
    }

    /** Pending and publishable on its own (not one that goes with a root proposal). */
    public boolean isPending() {
        return selected != null && selected.state().equals("PENDING") && selected.rootProposalId() == null;
    }

    public boolean isMaySign() {
        return selected != null && selected.state().equals("PENDING") && !myKeyIds.isEmpty();
    }

    public String getCanonicalBase64() {
        return canonicalBase64;
    }

    public List<String> getMyKeyIds() {
        return myKeyIds;
    }

    public String getKeyId() {
        return keyId;
    }

    public void setKeyId(String keyId) {
        this.keyId = keyId;
    }

    public String getSig() {
        return sig;
    }

    public void setSig(String sig) {
        this.sig = sig;
    }

    public String getExpires() {
        return expires;
    }

    public void setExpires(String expires) {
        this.expires = expires;
    }
}
