package dev.ota.portal;

import dev.ota.account.Accounts;
import dev.ota.account.IssuedToken;
import dev.ota.account.Roles;
import dev.ota.account.TokenView;
import dev.ota.error.OtaException;
import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.io.Serializable;
import java.util.List;

/**
 * Backs {@code app/tokens.xhtml}: a person's own API tokens (list, issue, revoke) and, for
 * administrators, every other account's tokens to revoke. The secret of a new token is shown once
 * ({@link ShownOnce}). Which tokens a person may see and revoke is the account service's decision,
 * the same as for the management API: a revoke posted for someone else's token by a person who is
 * not an administrator is refused there and audited.
 */
@Named
@ViewScoped
public class TokensView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient Accounts accounts;

    @Inject
    private transient SecurityContext security;

    @Inject
    private transient ShownOnce shownOnce;

    /** A token as the table shows it; {@code mayRevoke} is false once it opens nothing any more. */
    public record TokenRow(long id, String owner, String label, String created, String expires, String state,
                           boolean mayRevoke) implements Serializable {
    }

    private List<TokenRow> mine = List.of();
    private List<TokenRow> others = List.of();
    private boolean administrator;
    private String label;
    private Integer validityDays;

    public void load() {
        administrator = security.isCallerInRole(Roles.ADMINISTRATOR);
        String me = security.getCallerPrincipal().getName();
        List<TokenView> all = accounts.tokens();
        mine = all.stream().filter(t -> t.owner().equals(me)).map(TokensView::row).toList();
        others = all.stream().filter(t -> !t.owner().equals(me)).map(TokensView::row).toList();
    }

    public String issue() {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            // A portal session always began with a password, never with a token.
            IssuedToken t = accounts.issueToken(label, validityDays, null);
            shownOnce.show("API token " + t.label() + " (shown only now; send it as Authorization: Bearer ...)",
                    t.secret());
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "Issued the token " + t.label()
                    + ", valid until " + t.expiresAt() + ".", null));
            label = null;
            validityDays = null;
        } catch (OtaException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
        }
        load();
        return null;
    }

    public String revoke(long id) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            TokenView t = accounts.revokeToken(id);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "Revoked the token " + t.label()
                    + " of " + t.owner() + ".", null));
        } catch (OtaException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
        }
        load();
        return null;
    }

    private static TokenRow row(TokenView t) {
        return new TokenRow(t.id(), t.owner(), t.label(), t.createdAt().toString(),
                t.expiresAt() == null ? "never" : t.expiresAt().toString(), t.state().name().toLowerCase(java.util.Locale.ROOT),
                t.state() != TokenView.State.REVOKED);
    }

    public List<TokenRow> getMine() {
        return mine;
    }

    public List<TokenRow> getOthers() {
        return others;
    }

    /** Whether the page lists every other account's tokens (administrators only, as the service decides). */
    public boolean isAdministrator() {
        return administrator;
    }

    public String getLabel() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }

    public Integer getValidityDays() {
        return validityDays;
    }

    public void setValidityDays(Integer validityDays) {
        this.validityDays = validityDays;
    }
}
