package dev.ota.portal;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A page or a form action a person's roles do not allow: answered 403 with the portal's error page,
 * and recorded in the audit log as the management API records the same refusal ({@code auth.forbidden}),
 * because someone signed in trying what their roles forbid is worth an auditor's eye. Whatever the
 * browser sent, nothing of the request is carried out.
 */
final class PortalRefusals {
    private PortalRefusals() {
    }

    static void forbid(AuditLog audit, String caller, String what) {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        audit.recordAttempt(caller == null ? "anonymous" : caller, "auth.forbidden",
                request.getMethod() + " " + request.getRequestURI(), AuditRecord.Outcome.DENIED,
                "roles do not allow " + what + " (portal)");
        try {
            external.responseSendError(403, "Your roles do not allow this page.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        faces.responseComplete();
    }
}
