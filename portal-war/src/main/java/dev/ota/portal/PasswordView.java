package dev.ota.portal;

import dev.ota.account.Accounts;
import dev.ota.error.OtaException;
import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;

/**
 * Backs {@code app/password.xhtml}: the signed-in person replaces their password (current, new,
 * repeated). The strength rules and the audit entry are the account service's, as for the API.
 * Passwords are never rendered back into the form and are dropped after each attempt.
 */
@Named
@ViewScoped
public class PasswordView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient Accounts accounts;

    @Inject
    private transient SecurityContext security;

    private boolean oneTimePassword;
    private transient String current;
    private transient String next;
    private transient String repeated;

    public void load() {
        oneTimePassword = accounts.sessionCaller(security.getCallerPrincipal().getName(),
                        PortalAuthentication.sessionStamp(request()))
                .map(c -> c.mustChangePassword()).orElse(false);
    }

    public String change() {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            if (next == null || !next.equals(repeated)) {
                faces.addMessage("passwordForm:repeated", new FacesMessage(FacesMessage.SEVERITY_ERROR,
                        "The new password and its repetition differ.", null));
                return null;
            }
            // This session continues under the new stamp; every other session of the account ends.
            PortalAuthentication.continueSession(request(),
                    accounts.changeOwnPassword(current.toCharArray(), next.toCharArray()));
        } catch (OtaException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, capitalised(e.getMessage()) + ".",
                    e.code()));
            return null;
        } finally {
            current = null;
            next = null;
            repeated = null;
        }
        faces.getExternalContext().getFlash().setKeepMessages(true);
        faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "Your password was changed.", null));
        return "/app/home?faces-redirect=true";
    }

    private static HttpServletRequest request() {
        return (HttpServletRequest) FacesContext.getCurrentInstance().getExternalContext().getRequest();
    }

    private static String capitalised(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    /** Whether the account still has its one-time password (every other page is closed until it changes). */
    public boolean isOneTimePassword() {
        return oneTimePassword;
    }

    public String getCurrent() {
        return null;
    }

    public void setCurrent(String current) {
        this.current = current;
    }

    public String getNext() {
        return null;
    }

    public void setNext(String next) {
        this.next = next;
    }

    public String getRepeated() {
        return null;
    }

    public void setRepeated(String repeated) {
        this.repeated = repeated;
    }
}
