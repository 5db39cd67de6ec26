package dev.ota.portal.api;

import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
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
import jakarta.ws.rs.core.MediaType;
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
        Throwable t = thrown instanceof EJBException && !(thrown instanceof EJBAccessException)
                && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (t instanceof OtaException e) {
            if (e.kind() == ErrorKind.UNAVAILABLE) {
                LOG.log(Level.WARNING, "management API: service unavailable (" + e.code() + ")", e);
            }
            return json(status(e.kind()), e.code(), e.clientMessage());
        }
        if (t instanceof EJBAccessException) {
            boolean anonymous = security == null || security.getUserPrincipal() == null;
            if (anonymous) {
                return json(401, "auth.missing", "credentials are required: Basic or Bearer");
            }
            // Someone signed in tried what their roles do not allow: worth an auditor's eye.
            audit.recordAttempt(security.getUserPrincipal().getName(), "auth.forbidden",
                    request.getMethod() + " " + request.getRequestURI(), AuditRecord.Outcome.DENIED,
                    "roles do not allow this operation");
            return json(403, "auth.forbidden", "your roles do not allow this operation");
        }
        if (t instanceof JsonbException || t instanceof ProcessingException) {
            return json(400, "request.malformed", "the request body is not the JSON this operation expects");
        }
        if (t instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            return json(status, "http." + status, w.getResponse().getStatusInfo().getReasonPhrase());
        }
        LOG.log(Level.SEVERE, "unexpected failure in the management API", t);
        return json(500, "internal", "internal server error; the server log has the details");
    }

    static int status(ErrorKind kind) {
        return switch (kind) {
            case INVALID_INPUT -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNAVAILABLE -> 503;
        };
    }

    static Response json(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(jakarta.json.Json.createObjectBuilder().add("code", code).add("message", message)
                        .build().toString())
                .build();
    }
}
