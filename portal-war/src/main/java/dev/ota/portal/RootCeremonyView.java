package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.ceremony.CeremonyViews.CeremonyKey;
import dev.ota.ceremony.CeremonyViews.CurrentRoot;
import dev.ota.ceremony.CeremonyViews.RoleChange;
import dev.ota.ceremony.CeremonyViews.RootProposalView;
import dev.ota.ceremony.RootCeremonies;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Backs {@code app/root-ceremony.xhtml} for security officers: the current root, the proposals, and for the one
 * chosen its diff, signatures and thresholds, signing in the browser and publishing. The private key is used by the
 * page's script (WebCrypto) and never reaches this bean: only the key id and the signature are posted, and the
 * service checks them as it checks an upload through the API.
 */
@Named
@ViewScoped
public class RootCeremonyView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient RootCeremonies ceremonies;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    private String id;
    private CurrentRoot current;
    private List<RootProposalView> proposals = List.of();
    private RootProposalView selected;
    private String canonicalBase64 = "";
    private List<String> myKeyIds = List.of();
    private String keyId;
    private String sig;

    public void load() {
        if (!security.isCallerInRole(Roles.SECURITY_OFFICER)) {
            PortalRefusals.forbid(audit, me(), "the root ceremony page");
            return;
        }
        refresh();
    }

    /** Stores the detached signature the page's script made in the browser. */
    public String upload() {
        String body = signatureBody(keyId, sig);
        act(() -> {
            RootProposalView v = ceremonies.sign(id, body.getBytes(StandardCharsets.UTF_8));
            return "Signature of key " + shortId(keyId) + " added: root " + v.currentRoot().rootVersion() + " "
                    + v.currentRoot().signedKeyIds().size() + " of " + v.currentRoot().threshold() + ", root "
                    + v.newRoot().rootVersion() + " " + v.newRoot().signedKeyIds().size() + " of " + v.newRoot().threshold() + ".";
        });
        keyId = null;
        sig = null;
        return null;
    }

    public String publish() {
        act(() -> "Root version " + ceremonies.publish(id).version() + " is published.");
        return null;
    }

    private void act(java.util.function.Supplier<String> action) {
        if (acted(security, audit, "root ceremonies", action)) refresh();
    }

    /**
     * Runs a ceremony step for the page and shows its outcome (a refusal's code and message too); false when the
     * caller is no security officer (refused and audited) and the page need not be read again. The targets ceremony
     * page's too.
     */
    static boolean acted(SecurityContext security, AuditLog audit, String what, java.util.function.Supplier<String> action) {
        FacesContext faces = FacesContext.getCurrentInstance();
        String me = security.getCallerPrincipal() == null ? null : security.getCallerPrincipal().getName();
        if (!security.isCallerInRole(Roles.SECURITY_OFFICER)) {
            PortalRefusals.forbid(audit, me, what);
            return false;
        }
        try {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, action.get(), null));
        } catch (OtaException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
        } catch (EJBAccessException e) {
            PortalRefusals.forbid(audit, me, what);
            return false;
        }
        return true;
    }

    /** The detached signature the page's script made, as the API takes it. */
    static String signatureBody(String keyId, String sig) {
        return "{\"keyid\":\"" + json(keyId) + "\",\"sig\":\"" + json(sig) + "\"}";
    }

    private void refresh() {
        current = ceremonies.currentRoot();
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
        Set<String> mine = new LinkedHashSet<>();
        for (RoleChange c : selected.diff().roles()) {
            if (!c.role().equals("root")) continue;
            for (List<CeremonyKey> keys : List.of(c.added(), c.kept(), c.removed())) {
                keys.stream().filter(k -> k.holder().equals(me)).forEach(k -> mine.add(k.keyId()));
            }
        }
        selected.signatures().forEach(s -> mine.remove(s.keyId()));
        myKeyIds = List.copyOf(mine);
    }

    private String me() {
        return security.getCallerPrincipal() == null ? null : security.getCallerPrincipal().getName();
    }

    static String shortId(String keyId) {
        return keyId == null || keyId.length() < 12 ? String.valueOf(keyId) : keyId.substring(0, 12);
    }

    /** Only what a JSON string may hold unescaped; the service refuses anything that is not a key id or hex. */
    private static String json(String s) {
        return s == null ? "" : s.replaceAll("[^0-9A-Za-z]", "");
    }

    /** Keys as one line each: id prefix, type and holder. */
    public static String keys(List<CeremonyKey> keys) {
        return keys.stream().map(k -> k.keyId().substring(0, 12) + "… " + k.keyType() + " (" + k.holder() + ")")
                .reduce((a, b) -> a + "; " + b).orElse("—");
    }

    public String keysOf(List<CeremonyKey> keys) {
        return keys(keys);
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public CurrentRoot getCurrent() {
        return current;
    }

    public List<RootProposalView> getProposals() {
        return proposals;
    }

    public RootProposalView getSelected() {
        return selected;
    }

    public boolean isPending() {
        return selected != null && selected.state().equals("PENDING");
    }

    /** Whether the signed-in officer holds a root key of this ceremony that has not signed yet. */
    public boolean isMaySign() {
        return isPending() && !myKeyIds.isEmpty();
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
}
