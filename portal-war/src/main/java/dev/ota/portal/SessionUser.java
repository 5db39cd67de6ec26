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

/** The signed-in person as the page template shows them, and signing out. */
@Named
@RequestScoped
public class SessionUser {
    @Inject
    private SecurityContext security;

    public String getName() {
        Principal p = security.getCallerPrincipal();
        return p == null ? "" : p.getName();
    }

    public String logout() throws ServletException {
        ExternalContext external = FacesContext.getCurrentInstance().getExternalContext();
        ((HttpServletRequest) external.getRequest()).logout();
        external.invalidateSession();
        return "/login?faces-redirect=true";
    }
}
