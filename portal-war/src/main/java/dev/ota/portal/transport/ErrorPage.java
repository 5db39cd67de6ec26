package dev.ota.portal.transport;

import dev.ota.error.ErrorBody;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * The portal WAR's error page (web.xml), for what the container refuses before any of our code runs
 * (a {@code Content-Type} it cannot parse, an encoded '/' in the address, no such path): under
 * {@code /api/} the JSON error body every other API refusal carries, elsewhere the portal's own
 * {@code error.html}; both with the security headers, since filters do not run on an error dispatch.
 */
@WebServlet("/error")
public class ErrorPage extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Asked for directly (PrimeFaces sends the browser here after a failed Ajax request): the page itself.
        int code = status instanceof Integer s ? s : HttpServletResponse.SC_OK;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String u ? u : request.getRequestURI();
        if (path.startsWith(request.getContextPath() + "/api/")) {
            ErrorResponses.send(request, response, ErrorBody.forStatus(code, null));
            return;
        }
        SecurityHeaders.apply(request, response);
        response.setStatus(code);
        response.setContentType("text/html;charset=UTF-8");
        try (InputStream page = getServletContext().getResourceAsStream("/error.html")) {
            if (page != null) {
                page.transferTo(response.getOutputStream());
            }
        }
    }
}
