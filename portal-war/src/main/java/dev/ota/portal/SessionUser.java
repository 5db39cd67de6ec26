package dev.ota.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/**
 * The signed-in person as the page template shows them (name, and the menu entries their roles
 * open), and signing out. The menu only spares people links that would be refused: each page's bean
 * and the services check the roles again.
 */
@Named
@RequestScoped
public class SessionUser {
    @Inject
    private SecurityContext security;

    public String getName() {
        Principal p = security.getCallerPrincipal();
        return p == null ? "" : p.getName();
    }

    /** The account administration page ({@code app/accounts.xhtml}). */
    public boolean isAdministrator() {
        return security.isCallerInRole(dev.ota.account.Roles.ADMINISTRATOR);
    }

    /** The audit log page ({@code app/audit.xhtml}). */
    public boolean isAuditReader() {
        return AuditView.mayRead(security);
    }

    /** The rollout pages ({@code app/rollouts.xhtml} and the pages it leads to). */
    public boolean isRolloutReader() {
        return RolloutsView.mayRead(security);
    }

    /** The keys page ({@code app/keys.xhtml}): security officers change keys, auditors and administrators read. */
    public boolean isKeyReader() {
        return KeysView.mayRead(security);
    }

    /** The root and targets ceremony pages ({@code app/root-ceremony.xhtml}, {@code app/targets-ceremony.xhtml}). */
    public boolean isSecurityOfficer() {
        return security.isCallerInRole(dev.ota.account.Roles.SECURITY_OFFICER);
    }

    public String logout() throws ServletException {
        ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
        ((HttpServletRequest) external.getRequest()).logout();
        external.invalidateSession();
        return "/login?faces-redirect=true";
    }
}
