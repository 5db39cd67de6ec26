package dev.ota.deviceapi;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import jakarta.ejb.EJBException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The device API's one error table: every exception becomes a JSON body {@code {code, message}}
 * with a status from its kind. Unexpected failures are logged here and answered without details,
 * so no stack trace or internal message ever reaches a client (or a multi-line header).
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

    @Override
    public Response toResponse(Throwable thrown) {
        Throwable t = thrown instanceof EJBException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (t instanceof OtaException e) {
            if (e.kind() == ErrorKind.UNAVAILABLE) {
                LOG.log(Level.WARNING, "device API: service unavailable (" + e.code() + ")", e);
            }
            return json(status(e.kind()), e.code(), e.clientMessage());
        }
        if (t instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            String code = status == 404 ? "http.not-found" : status == 405 ? "http.method-not-allowed" : "http." + status;
            String message = status == 404 ? "no such resource" : w.getResponse().getStatusInfo().getReasonPhrase();
            return json(status, code, message);
        }
        LOG.log(Level.SEVERE, "unexpected failure in the device API", t);
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

    private static Response json(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(jakarta.json.Json.createObjectBuilder()
                        .add("code", code)
                        .add("message", message)
                        .build()
                        .toString())
                .build();
    }
}
