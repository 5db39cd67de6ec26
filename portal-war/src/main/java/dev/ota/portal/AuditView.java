package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.audit.AuditFilter;
import dev.ota.audit.AuditLog;
import dev.ota.audit.ChainVerification;
import dev.ota.error.OtaException;
import dev.ota.portal.audit.AuditExport;
import dev.ota.portal.audit.AuditQuery;
import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.primefaces.component.datatable.DataTable;

/**
 * Backs {@code app/audit.xhtml}, for auditors (and administrators and security officers, whom the audit
 * service lets read the log too): the entries filtered by actor, action, subject and time, newest
 * first, paged over the keyset query; the chain's verification; the filtered entries exported as CSV
 * or JSON. Each action checks the role itself before calling the service (which checks it again), so
 * a form posted by anyone else is refused and audited whatever the page showed them.
 */
@Named
@ViewScoped
public class AuditView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    private String actor;
    private String action;
    private String subject;
    private String from;
    private String to;
    private AuditFilter filter = AuditFilter.ALL;
    private AuditKeysetModel model;
    private ChainVerification verification;

    /** Whether the caller's roles open the audit log: what the menu and every action ask. */
    static boolean mayRead(SecurityContext security) {
        return security.isCallerInRole(Roles.AUDITOR) || security.isCallerInRole(Roles.ADMINISTRATOR)
                || security.isCallerInRole(Roles.SECURITY_OFFICER);
    }

    public void load() {
        allowed("the audit log page");
    }

    public AuditKeysetModel getModel() {
        if (model == null && mayRead(security)) {
            model = new AuditKeysetModel(audit, filter, audit.openRead("audit.search", filter));
        }
        return model;
    }

    /** Reads the form into a filter and lists its matches again from the newest. */
    public void apply() {
        if (!allowed("searching the audit log")) {
            return;
        }
        try {
            filter = AuditQuery.filter(actor, action, subject, from, to);
        } catch (OtaException e) {
            error(e);
            return;
        }
        model = null;
        DataTable table = (DataTable) FacesContext.getCurrentInstance().getViewRoot().findComponent("auditForm:entries");
        if (table != null) {
            table.setFirst(0);
        }
    }

    public void verify() {
        if (allowed("verifying the audit log")) {
            verification = audit.verifyChain();
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(
                    verification.intact() ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_ERROR,
                    "Hash chain " + verification.summary() + ".", null));
        }
    }

    public void exportCsv() {
        export(AuditExport.Format.CSV);
    }

    public void exportJson() {
        export(AuditExport.Format.JSON);
    }

    /** The form's filter (what the person sees in the fields), written out as the response itself. */
    private void export(AuditExport.Format format) {
        if (!allowed("exporting the audit log")) {
            return;
        }
        AuditFilter exported;
        try {
            exported = AuditQuery.filter(actor, action, subject, from, to);
        } catch (OtaException e) {
            error(e);
            return;
        }
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        long olderThan = audit.openRead("audit.export", exported);
        external.setResponseContentType(format.mediaType());
        external.setResponseHeader("Content-Disposition", "attachment; filename=\"" + format.fileName() + "\"");
        try {
            AuditExport.write(format, exported, olderThan, audit::entries, external.getResponseOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        faces.responseComplete();
    }

    private boolean allowed(String what) {
        if (mayRead(security)) {
            return true;
        }
        PortalRefusals.forbid(audit, security.getCallerPrincipal() == null ? null
                : security.getCallerPrincipal().getName(), what);
        return false;
    }

    private static void error(OtaException e) {
        FacesContext.getCurrentInstance().addMessage(null,
                new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
    }

    public ChainVerification getVerification() {
        return verification;
    }

    public String getActor() {
        return actor;
    }

    public void setActor(String actor) {
        this.actor = actor;
    }

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }
}
