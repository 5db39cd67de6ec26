package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.rollouts.RolloutView;
import dev.ota.rollouts.Rollouts;
import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.io.Serializable;
import java.util.List;

/**
 * Backs {@code app/rollouts.xhtml}: the newest rollouts (Rollouts.LIST_LIMIT), each linked to its live page, and for
 * release managers and administrators the way into the wizard. Release managers, administrators and auditors read
 * rollouts; anyone else is refused the page, and the refusal audited.
 */
@Named
@ViewScoped
public class RolloutsView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient Rollouts rollouts;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    private List<RolloutView> listed = List.of();
    private boolean mayCreate;

    /** Who may read rollouts, as Rollouts.get and list allow; the menu shows the page to them only. */
    static boolean mayRead(SecurityContext security) {
        return mayCreate(security) || security.isCallerInRole(Roles.AUDITOR);
    }

    /** Who may create and steer rollouts, as Rollouts.create and its commands allow. */
    static boolean mayCreate(SecurityContext security) {
        return security.isCallerInRole(Roles.RELEASE_MANAGER) || security.isCallerInRole(Roles.ADMINISTRATOR);
    }

    public void load() {
        if (!mayRead(security)) {
            PortalRefusals.forbid(audit, security.getCallerPrincipal() == null ? null
                    : security.getCallerPrincipal().getName(), "reading rollouts");
            return;
        }
        mayCreate = mayCreate(security);
        listed = rollouts.list();
    }

    public List<RolloutView> getRollouts() {
        return listed;
    }

    public boolean isMayCreate() {
        return mayCreate;
    }
}
