package dev.ota.portal.api;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
import dev.ota.error.ErrorBody;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;
import jakarta.ejb.EJBException;
import jakarta.json.bind.JsonbException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The management API's one error table: domain codes to HTTP status, role refusals to 403 (401
 * without an identity; audited), unreadable JSON to 400, everything unexpected to a logged 500 without details.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

    @Context
    private SecurityContext security;

    @Context
    private HttpServletRequest request;

    @EJB
    private AuditLog audit;

    @Override
    public Response toResponse(Throwable thrown) {
        Throwable t = cause(thrown);
        if (t instanceof OtaException e) {
            if (e.kind() == ErrorKind.UNAVAILABLE) {
                LOG.log(Level.WARNING, "management API: service unavailable (" + e.code() + ")", e);
            }
            if (e.code().equals(StrictJsonReader.CODE)) {
                // The body never reached a service, which would have audited its own refusal.
                auditRefusedBody(e.getMessage());
            }
            return response(ErrorBody.of(e));
        }
        if (t instanceof EJBAccessException) {
            boolean anonymous = security == null || security.getUserPrincipal() == null;
            if (anonymous) {
                return response(ErrorBody.of(ErrorKind.UNAUTHENTICATED, "auth.missing",
                        "credentials are required: Basic or Bearer"));
            }
            // Someone signed in tried what their roles do not allow: worth an auditor's eye.
            audit.recordAttempt(security.getUserPrincipal().getName(), "auth.forbidden",
                    request.getMethod() + " " + request.getRequestURI(), AuditRecord.Outcome.DENIED,
                    "roles do not allow this operation");
            return response(ErrorBody.of(ErrorKind.FORBIDDEN, "auth.forbidden", "your roles do not allow this operation"));
        }
        if (t instanceof JsonbException || t instanceof ProcessingException) {
            auditRefusedBody("unreadable body");
            return response(ErrorBody.of(ErrorKind.INVALID_INPUT, StrictJsonReader.CODE,
                    "the request body is not the JSON this operation expects"));
        }
        if (t instanceof WebApplicationException w) {
            return response(ErrorBody.forStatus(w.getResponse().getStatus(), w.getResponse().getStatusInfo().getReasonPhrase()));
        }
        LOG.log(Level.SEVERE, "unexpected failure in the management API", t);
        return response(ErrorBody.internal());
    }

    /** Every refused state-changing attempt is audited, also one whose body could not be read. */
    private void auditRefusedBody(String why) {
        if (request == null || request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
            return;
        }
        String caller = security == null || security.getUserPrincipal() == null ? "anonymous"
                : security.getUserPrincipal().getName();
        audit.recordAttempt(caller, "request.malformed", request.getMethod() + " " + request.getRequestURI(),
                AuditRecord.Outcome.DENIED, why);
    }

    /**
     * The failure to answer for: a domain failure wherever it sits in the chain (JAX-RS wraps what a
     * body reader throws, EJB what a service throws), else the cause of a wrapping EJBException.
     */
    private static Throwable cause(Throwable thrown) {
        for (Throwable c = thrown; c != null; c = c.getCause()) {
            if (c instanceof OtaException) {
                return c;
            }
        }
        return thrown instanceof EJBException && !(thrown instanceof EJBAccessException)
                && thrown.getCause() != null ? thrown.getCause() : thrown;
    }

    static Response response(ErrorBody body) {
        return Response.status(body.status()).type(ErrorBody.CONTENT_TYPE).entity(body.json()).build();
    }
}
