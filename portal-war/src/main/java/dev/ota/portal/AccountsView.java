package dev.ota.portal;

import dev.ota.account.AccountView;
import dev.ota.account.Accounts;
import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Backs {@code app/accounts.xhtml}, for administrators: the accounts with their roles and state;
 * creating one, disabling and enabling, changing roles, and resetting a password. One-time passwords
 * are shown once ({@link ShownOnce}). The rules and the audit entries are the account service's, as
 * for the management API. Every action checks the administrator role itself before calling the
 * service (which checks it again): a form posted by someone else is refused and audited, whatever
 * the page showed them.
 */
@Named
@ViewScoped
public class AccountsView implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final List<String> ROLE_CHOICES = Roles.ALL.stream().sorted().toList();

    @EJB
    private transient Accounts accounts;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    @Inject
    private transient ShownOnce shownOnce;

    /** One line of the table, with what its buttons may do computed here rather than in EL. */
    public record AccountRow(String username, String roles, String state, String created, boolean enabled,
                             boolean mayDisable, boolean mayResetPassword) implements Serializable {
    }

    private List<AccountRow> rows = List.of();
    private String newUsername;
    private List<String> newRoles = new ArrayList<>();
    private String rolesAccount;
    private List<String> rolesSelected = new ArrayList<>();

    public void load() {
        if (allowed("the account administration page")) {
            refresh();
        }
    }

    public String create() {
        String username = newUsername;
        run("creating an account", () -> {
            String password = accounts.createAccount(username, new HashSet<>(newRoles));
            shownOnce.show("One-time password of " + username + " (shown only now; it must be changed at the first sign-in)",
                    password);
            newUsername = null;
            newRoles = new ArrayList<>();
            return "Created the account " + username + ".";
        });
        return null;
    }

    public String disable(String username) {
        run("disabling an account", () -> {
            accounts.setEnabled(username, false);
            return "Disabled " + username + "; their sessions have ended.";
        });
        return null;
    }

    public String enable(String username) {
        run("enabling an account", () -> {
            accounts.setEnabled(username, true);
            return "Enabled " + username + ".";
        });
        return null;
    }

    public String resetPassword(String username) {
        run("resetting a password", () -> {
            String password = accounts.resetPassword(username);
            shownOnce.show("New one-time password of " + username + " (shown only now; it must be changed at the next sign-in)",
                    password);
            return "Reset the password of " + username + "; their sessions have ended.";
        });
        return null;
    }

    public String changeRoles() {
        String username = rolesAccount;
        run("changing roles", () -> {
            accounts.changeRoles(username, new HashSet<>(rolesSelected));
            rolesSelected = new ArrayList<>();
            return "Changed the roles of " + username + "; their sessions have ended.";
        });
        return null;
    }

    /** Runs an administrator's action: refused and audited for anyone else; the outcome as a message. */
    private void run(String what, Supplier<String> action) {
        if (!allowed(what)) {
            return;
        }
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, action.get(), null));
        } catch (OtaException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
        } catch (EJBAccessException e) {
            // The roles changed between the check above and the service's own.
            PortalRefusals.forbid(audit, callerName(), what);
            return;
        }
        refresh();
    }

    private boolean allowed(String what) {
        if (security.isCallerInRole(Roles.ADMINISTRATOR)) {
            return true;
        }
        PortalRefusals.forbid(audit, callerName(), what);
        return false;
    }

    private String callerName() {
        return security.getCallerPrincipal() == null ? null : security.getCallerPrincipal().getName();
    }

    private void refresh() {
        String me = callerName();
        rows = accounts.accounts().stream().map(a -> row(a, me)).toList();
    }

    private static AccountRow row(AccountView a, String me) {
        String state = !a.enabled() ? "disabled" : a.mustChangePassword() ? "enabled, one-time password not yet changed"
                : "enabled";
        boolean self = a.username().equals(me);
        return new AccountRow(a.username(), String.join(", ", a.roles()), state, a.createdAt().toString(), a.enabled(),
                a.enabled() && !self, !self);
    }

    public List<AccountRow> getRows() {
        return rows;
    }

    public List<String> getRoleChoices() {
        return ROLE_CHOICES;
    }

    public List<String> getUsernames() {
        return rows.stream().map(AccountRow::username).toList();
    }

    public String getNewUsername() {
        return newUsername;
    }

    public void setNewUsername(String newUsername) {
        this.newUsername = newUsername;
    }

    public List<String> getNewRoles() {
        return newRoles;
    }

    public void setNewRoles(List<String> newRoles) {
        this.newRoles = newRoles == null ? new ArrayList<>() : new ArrayList<>(newRoles);
    }

    public String getRolesAccount() {
        return rolesAccount;
    }

    public void setRolesAccount(String rolesAccount) {
        this.rolesAccount = rolesAccount;
    }

    public List<String> getRolesSelected() {
        return rolesSelected;
    }

    public void setRolesSelected(List<String> rolesSelected) {
        this.rolesSelected = rolesSelected == null ? new ArrayList<>() : new ArrayList<>(rolesSelected);
    }
}
