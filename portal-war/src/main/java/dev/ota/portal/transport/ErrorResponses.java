package dev.ota.portal.transport;

import dev.ota.error.ErrorBody;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Writes the server's one error response ({@link ErrorBody}) from servlet code of the portal WAR:
 * the filters here, the authentication mechanism and the error page. Each such response carries the
 * security headers too, since some are written before {@link SecurityHeaders} runs (authentication
 * answers ahead of every filter) or after the container reset the response (error dispatch).
 */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static void send(HttpServletRequest request, HttpServletResponse response, ErrorBody body) throws IOException {
        SecurityHeaders.apply(request, response);
        response.setStatus(body.status());
        response.setContentType(ErrorBody.CONTENT_TYPE);
        response.getWriter().write(body.json());
    }
}
