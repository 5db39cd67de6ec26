package dev.ota.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.credential.Password;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Backs {@code login.xhtml}: hands the credentials to {@link PortalAuthentication}. */
@Named
@RequestScoped
public class LoginView {
    @Inject
    private SecurityContext security;

    private String username;
    private String password;

    public String login() {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        AuthenticationStatus status = security.authenticate(request, (HttpServletResponse) external.getResponse(),
                AuthenticationParameters.withParams().newAuthentication(true)
                        .credential(new UsernamePasswordCredential(username, new Password(password))));
        password = null;
        switch (status) {
            case SUCCESS:
                return request.getAttribute(PortalAuthentication.MUST_CHANGE_PASSWORD) != null
                        ? "/app/password?faces-redirect=true" : "/app/home?faces-redirect=true";
            case SEND_CONTINUE:
                faces.responseComplete();
                return null;
            default:
                Object wait = request.getAttribute(PortalAuthentication.RETRY_AFTER);
                faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, wait != null
                        ? "Too many failed sign-ins for this account or from this address. Try again in "
                                + wait + " seconds."
                        : "The user name or password is not correct.", null));
                return null;
        }
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return null;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
