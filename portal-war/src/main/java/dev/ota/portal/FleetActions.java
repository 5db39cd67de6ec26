package dev.ota.portal;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import jakarta.ejb.EJBAccessException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How the fleet pages run a change: the service's refusal shown as its message, a role refusal (only a
 * forged request gets one, since the pages render no change buttons for other roles) audited and shown.
 */
final class FleetActions {
    private static final Logger LOG = Logger.getLogger(FleetActions.class.getName());

    private FleetActions() {
    }

    /** Runs {@code action}; true when it succeeded. */
    static boolean run(Runnable action, AuditLog audit, String caller, String what) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            action.run();
            return true;
        } catch (OtaException e) {
            if (e.kind() == ErrorKind.UNAVAILABLE) {
                LOG.log(Level.WARNING, "portal: service unavailable (" + e.code() + ")", e);
            }
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
        } catch (EJBAccessException e) {
            audit.recordAttempt(caller, "auth.forbidden", "portal " + what, AuditRecord.Outcome.DENIED,
                    "roles do not allow this operation");
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR,
                    "Your roles do not allow this change.", null));
        }
        return false;
    }
}
