package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.custody.KeyChange;
import dev.ota.custody.KeyCustody;
import dev.ota.custody.OnlineKey;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Backs {@code app/keys.xhtml}: the online keys of both repositories with their age, type and holder, and the
 * retired and revoked ones. Security officers rotate and revoke; auditors and administrators only read, and see
 * no buttons. Each action checks the role itself (refused and audited otherwise) before the service, which
 * checks it again.
 */
@Named
@ViewScoped
public class KeysView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient KeyCustody custody;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    @Inject
    private transient Clock clock;

    private List<KeyRow> rows = List.of();
    private List<KeyRow> active = List.of();
    private String revokeKey;
    private String reason;

    /** One table row; every display value computed here. {@code choice} names the key in the revoke form. */
    public record KeyRow(String repository, String role, String keyId, String keyType, String created, String age,
                         String holder, String status, String note, boolean rotatable, String choice)
            implements Serializable {
    }

    /** Whether the caller's roles open the keys page: what the menu asks too. */
    static boolean mayRead(SecurityContext security) {
        return security.isCallerInRole(Roles.SECURITY_OFFICER) || security.isCallerInRole(Roles.AUDITOR)
                || security.isCallerInRole(Roles.ADMINISTRATOR);
    }

    public void load() {
        if (!mayRead(security)) {
            PortalRefusals.forbid(audit, callerName(), "the keys page");
            return;
        }
        refresh();
    }

    private void refresh() {
        Instant now = clock.instant();
        rows = custody.list().stream().map(k -> row(k, now)).toList();
        active = rows.stream().filter(KeyRow::rotatable).toList();
    }

    static KeyRow row(OnlineKey k, Instant now) {
        String age = k.created() == null ? "" : age(Duration.between(k.created(), now));
        String note = switch (k.status()) {
            case OnlineKey.REVOKED -> "revoked " + k.retiredAt() + " by " + k.retiredBy() + ": " + k.reason()
                    + "; replaced by " + shortId(k.replacedBy());
            case OnlineKey.RETIRED -> "rotated " + k.retiredAt() + " by " + k.retiredBy() + "; replaced by "
                    + shortId(k.replacedBy());
            default -> "";
        };
        boolean rotatable = k.status().equals(OnlineKey.ACTIVE)
                && !(k.repository().equals(KeyCustody.IMAGE) && k.role().equals("root"));
        return new KeyRow(k.repository(), k.role(), k.keyId(), k.keyType(), k.created() == null ? "" : k.created().toString(),
                age, holder(k), k.status(), note, rotatable,
                k.repository() + "/" + k.role() + "/" + k.keyId());
    }

    /** Who holds the key and in what custody (pkcs12, or pkcs11 token and its label); empty once retired. */
    static String holder(OnlineKey k) {
        if (k.holder() == null) {
            return "";
        }
        return k.custody() == null ? k.holder() : k.holder() + " (" + k.custody() + ")";
    }

    static String age(Duration d) {
        if (d.isNegative()) {
            return "0 min";
        }
        long days = d.toDays();
        return days > 0 ? days + " d " + d.toHoursPart() + " h" : d.toHours() + " h " + d.toMinutesPart() + " min";
    }

    private static String shortId(String keyId) {
        return keyId == null ? "-" : keyId.substring(0, Math.min(16, keyId.length()));
    }

    public String rotate(String repository, String role, String keyId) {
        run("rotating a key", () -> {
            KeyChange c = custody.rotate(repository, role, keyId);
            return "Rotated the " + repository + " " + role + " key " + shortId(keyId) + ": new key " + shortId(c.newKeyId())
                    + ", root version " + c.rootVersion() + "; signed " + String.join(", ", c.signed()) + ".";
        });
        return null;
    }

    public String revoke() {
        String chosen = revokeKey == null ? "" : revokeKey;
        String[] parts = chosen.split("/", 3);
        run("revoking a key", () -> {
            if (parts.length != 3) {
                throw new dev.ota.custody.CustodyFailure("keys.unknown", dev.ota.error.ErrorKind.NOT_FOUND,
                        "choose a key to revoke");
            }
            KeyChange c = custody.revoke(parts[0], parts[1], parts[2], reason);
            reason = null;
            return "Revoked the " + parts[0] + " " + parts[1] + " key " + shortId(parts[2]) + ": new key "
                    + shortId(c.newKeyId()) + ", root version " + c.rootVersion() + ".";
        });
        return null;
    }

    /** Runs a security officer's action: refused and audited for anyone else; the outcome as a message. */
    private void run(String what, Supplier<String> action) {
        if (!security.isCallerInRole(Roles.SECURITY_OFFICER)) {
            PortalRefusals.forbid(audit, callerName(), what);
            return;
        }
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, action.get(), null));
        } catch (OtaException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
        } catch (EJBAccessException e) {
            PortalRefusals.forbid(audit, callerName(), what);
            return;
        }
        refresh();
    }

    private String callerName() {
        return security.getCallerPrincipal() == null ? null : security.getCallerPrincipal().getName();
    }

    public List<KeyRow> getRows() {
        return rows;
    }

    /** Keys a security officer may rotate or revoke. */
    public List<KeyRow> getActive() {
        return active;
    }

    /** Whether the rotate and revoke controls show: security officers only. */
    public boolean isOfficer() {
        return security.isCallerInRole(Roles.SECURITY_OFFICER);
    }

    public String getRevokeKey() {
        return revokeKey;
    }

    public void setRevokeKey(String revokeKey) {
        this.revokeKey = revokeKey;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
