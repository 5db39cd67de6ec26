package dev.ota.portal.transport;

import dev.ota.error.ErrorBody;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * TRACE is refused everywhere in the portal WAR (HttpServlet's default echoes the request, headers
 * and cookies included: cross-site tracing), and OPTIONS on pages names the methods pages answer
 * instead of HttpServlet's default list with TRACE in it. The API's OPTIONS is answered by JAX-RS
 * from its resources.
 */
@WebFilter(filterName = "methodGate", urlPatterns = "/*")
public class MethodGate extends HttpFilter {
    private static final long serialVersionUID = 1L;
    static final String PAGE_METHODS = "GET, HEAD, POST, OPTIONS";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String method = request.getMethod();
        if (!method.equals("TRACE") && !method.equals("OPTIONS")) {
            chain.doFilter(request, response);
            return;
        }
        // The API's resources say for themselves which methods they take (JAX-RS answers OPTIONS there).
        boolean api = request.getRequestURI().startsWith(request.getContextPath() + "/api/");
        if (method.equals("TRACE")) {
            if (!api) {
                response.setHeader("Allow", PAGE_METHODS);
            }
            ErrorResponses.send(request, response, ErrorBody.forStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED, null));
            return;
        }
        if (!api) {
            SecurityHeaders.apply(request, response);
            response.setHeader("Allow", PAGE_METHODS);
            return;
        }
        chain.doFilter(request, response);
    }
}
