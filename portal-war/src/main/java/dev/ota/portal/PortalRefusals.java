package dev.ota.portal;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A page or a form action a person's roles do not allow: answered 403 with a short page saying so,
 * and recorded in the audit log as the management API records the same refusal ({@code auth.forbidden}),
 * because someone signed in trying what their roles forbid is worth an auditor's eye. Whatever the
 * browser sent, nothing of the request is carried out.
 */
final class PortalRefusals {
    static final String PAGE = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"UTF-8\">"
            + "<title>Not allowed · OTA portal</title></head>\n<body>\n  <h1>Not allowed</h1>\n"
            + "  <p>Your roles do not allow this page or action. The attempt was recorded.</p>\n"
            + "  <p><a href=\"/portal/app/home.xhtml\">Back to the portal</a></p>\n</body>\n</html>\n";

    private PortalRefusals() {
    }

    static void forbid(AuditLog audit, String caller, String what) {
        FacesContext faces = FacesContext.getCurrentInstance();
        ExternalContext external = faces.getExternalContext();
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        audit.recordAttempt(caller == null ? "anonymous" : caller, "auth.forbidden",
                request.getMethod() + " " + request.getRequestURI(), AuditRecord.Outcome.DENIED,
                "roles do not allow " + what + " (portal)");
        // Written here rather than by sendError: Liberty answered that with its own bare page, not the
        // portal's error page; this one keeps the response's security headers and says what happened.
        HttpServletResponse response = (HttpServletResponse) external.getResponse();
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/html;charset=UTF-8");
        try {
            response.getOutputStream().write(PAGE.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        faces.responseComplete();
    }
}
