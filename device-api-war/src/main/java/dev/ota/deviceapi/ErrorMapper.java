package dev.ota.deviceapi;

import dev.ota.error.ErrorBody;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.fleet.FleetSettings;
import jakarta.ejb.EJBException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The device API's exceptions as the server's one error response ({@link ErrorBody}): domain codes
 * with their kind's status, JAX-RS refusals by status. Unexpected failures are logged here and
 * answered without details, so no stack trace or internal message ever reaches a client.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {
    private static final Logger LOG = Logger.getLogger(ErrorMapper.class.getName());

    @Override
    public Response toResponse(Throwable thrown) {
        return response(body(thrown));
    }

    /** The error body for {@code thrown}, logged as here; also for the paths served without JAX-RS ({@link DirectorPoll}). */
    static ErrorBody body(Throwable thrown) {
        Throwable t = thrown instanceof EJBException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (t instanceof OtaException e) {
            if (e.kind() == ErrorKind.UNAVAILABLE) {
                LOG.log(Level.WARNING, "device API: service unavailable (" + e.code() + ")", e);
            }
            return ErrorBody.of(e);
        }
        if (t instanceof WebApplicationException w) {
            return ErrorBody.forStatus(w.getResponse().getStatus(), w.getResponse().getStatusInfo().getReasonPhrase());
        }
        LOG.log(Level.SEVERE, "unexpected failure in the device API", t);
        return ErrorBody.internal();
    }

    /** device-api.md: a 503 carries {@code Retry-After}, which devices honour; without it a client may retry at once. */
    static Response response(ErrorBody body) {
        Response.ResponseBuilder r = Response.status(body.status()).type(ErrorBody.CONTENT_TYPE).entity(body.json());
        if (body.status() == 503) r.header("Retry-After", String.valueOf(FleetSettings.overloadRetryAfterSeconds()));
        return r.build();
    }
}
