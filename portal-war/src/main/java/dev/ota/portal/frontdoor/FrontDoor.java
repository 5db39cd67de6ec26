package dev.ota.portal.frontdoor;

import dev.ota.portal.transport.SecurityHeaders;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * The addresses a person types without a page name: {@code /portal}, {@code /portal/} (README's
 * address) and {@code /portal/app/}. They answer with a redirect to the home page (what needs attention), whose
 * security constraint then sends a person who is not signed in to the sign-in form, and one who must
 * still replace a one-time password to that form.
 * <p>
 * A redirect rather than a welcome-file forward: the page then runs at its own address, so its form
 * posts and links are the page's own, and nothing decided for the typed address (a policy, a
 * constraint) applies to a page it was not meant for. A filter rather than a servlet mapped to
 * {@code ""}: it sees exactly these addresses and leaves the default servlet (static files, the
 * error page) alone.
 */
@WebFilter(filterName = "frontDoor", urlPatterns = "/*")
public class FrontDoor extends HttpFilter {
    private static final long serialVersionUID = 1L;
    static final String HOME = "/app/home.xhtml";
    /** Paths below the context root that name no page. */
    static final Set<String> NO_PAGE = Set.of("", "/", "/app", "/app/");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!NO_PAGE.contains(path)) {
            chain.doFilter(request, response);
            return;
        }
        // Filters declared by annotation run in no fixed order: the redirect carries the protections itself.
        SecurityHeaders.apply(request, response);
        // A path-absolute Location (RFC 9110 allows it), never built from the request's Host header.
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Location", request.getContextPath() + HOME);
    }
}
