package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.fleet.EnrollmentTokenView;
import dev.ota.fleet.Enrollments;
import dev.ota.fleet.IssuedEnrollmentToken;
import dev.ota.fleet.NewEnrollmentToken;
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
 * Backs {@code app/enrollment-tokens.xhtml}: the tokens with their terms and use, and for administrators a
 * form to make one (its text is shown once, on the answer to that form, and kept nowhere) and revoke buttons.
 */
@Named
@ViewScoped
public class EnrollmentTokensView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient Enrollments enrollments;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    @Inject
    private transient java.time.Clock clock;

    private transient List<EnrollmentTokenView> tokens = List.of();
    private boolean mayChange;
    private String label;
    private String hardwareIds;
    private Integer maxUses = 1;
    private Integer validityHours = 24;
    private boolean autoAccept;
    /** The text of the token just made: rendered in this response only, then forgotten. */
    private transient String shownOnce;

    public void load() {
        mayChange = security.isCallerInRole(Roles.ADMINISTRATOR);
        tokens = enrollments.tokens();
    }

    public void create() {
        shownOnce = null;
        NewEnrollmentToken request = new NewEnrollmentToken(label, List.copyOf(DevicesView.words(hardwareIds)),
                maxUses, validityHours, autoAccept);
        IssuedEnrollmentToken[] issued = new IssuedEnrollmentToken[1];
        if (FleetActions.run(() -> issued[0] = enrollments.createToken(request), audit, caller(), "enrollment token")) {
            shownOnce = issued[0].token();
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO,
                    "Enrollment token " + issued[0].view().id() + " made; copy it now, it is not shown again.", null));
            label = null;
            hardwareIds = null;
        }
        tokens = enrollments.tokens();
    }

    public void revoke(long id) {
        shownOnce = null;
        if (FleetActions.run(() -> enrollments.revokeToken(id), audit, caller(), "enrollment token " + id)) {
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO,
                    "Enrollment token " + id + " revoked.", null));
        }
        tokens = enrollments.tokens();
    }

    private String caller() {
        return security.getCallerPrincipal().getName();
    }

    public List<EnrollmentTokenView> getTokens() {
        if (tokens == null) {
            tokens = enrollments.tokens();
        }
        return tokens;
    }

    public String getShownOnce() {
        return shownOnce;
    }

    public String stateOf(EnrollmentTokenView t) {
        return t.stateAt(clock.instant()).name();
    }

    public boolean isMayChange() {
        return mayChange;
    }

    public String getLabel() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }

    public String getHardwareIds() {
        return hardwareIds;
    }

    public void setHardwareIds(String hardwareIds) {
        this.hardwareIds = hardwareIds;
    }

    public Integer getMaxUses() {
        return maxUses;
    }

    public void setMaxUses(Integer maxUses) {
        this.maxUses = maxUses;
    }

    public Integer getValidityHours() {
        return validityHours;
    }

    public void setValidityHours(Integer validityHours) {
        this.validityHours = validityHours;
    }

    public boolean isAutoAccept() {
        return autoAccept;
    }

    public void setAutoAccept(boolean autoAccept) {
        this.autoAccept = autoAccept;
    }
}
