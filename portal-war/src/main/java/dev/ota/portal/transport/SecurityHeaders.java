package dev.ota.portal.transport;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Browser protections on every response of the portal and the management API: no framing
 * (clickjacking), no MIME sniffing, no Referer leaving the portal (URLs can carry release paths),
 * HSTS on HTTPS responses, and exactly one Content-Security-Policy.
 * <p>
 * Every response starts with {@link #DOCUMENT_POLICY}: JSON, redirects, error pages and static
 * files need no script, style or frame. A Faces page replaces it: PrimeFaces' CSP mode
 * ({@code primefaces.CSP} and {@code primefaces.CSP_POLICY} in web.xml) puts a fresh nonce on every
 * script it and the page render, moves inline event handlers into nonce-bearing scripts, and adds
 * {@link #PAGE_POLICY} with that nonce just before the page renders. A browser enforces every policy
 * a response carries, so two would intersect into one that blocks the page's own scripts, styles and
 * form posts (the sign-in page shown for {@code /portal/} was such a page). Which response becomes a
 * page is known only once Faces renders it (after welcome-file or error-page dispatches, whatever the
 * address), so the decision is not taken from the path: the response this filter hands on keeps one
 * policy, and a policy set later replaces the earlier one.
 */
@WebFilter(filterName = "securityHeaders", urlPatterns = "/*")
public class SecurityHeaders extends HttpFilter {
    private static final long serialVersionUID = 1L;
    /**
     * The pages' policy, as web.xml gives it to PrimeFaces, which appends {@code 'nonce-...'} to the
     * last directive (hence script-src last). style-src allows inline styles: PrimeFaces' widgets and
     * the pages set {@code style} attributes, which a nonce cannot cover; styles cannot run code.
     * Kept equal to web.xml's {@code primefaces.CSP_POLICY} by SecurityHeadersTest.
     */
    static final String PAGE_POLICY = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self';"
            + " frame-ancestors 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'";
    /** For responses that are data or a static page: nothing may load, run, or frame them. */
    static final String DOCUMENT_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** One year, the value preload lists and audits expect. */
    static final String HSTS = "max-age=31536000";
    static final String CSP = "Content-Security-Policy";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        apply(request, response);
        chain.doFilter(request, new OnePolicy(response));
    }

    /**
     * Sets the protections on a response; for code that answers before this filter runs (the
     * authentication mechanism answers 401 ahead of every filter, through {@link ErrorResponses}) or
     * after a reset. A Faces page later replaces the policy with its own.
     */
    public static void apply(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        response.setHeader(CSP, DOCUMENT_POLICY);
    }

    /** A response on which adding a Content-Security-Policy replaces the one it has, never adds a second. */
    static final class OnePolicy extends HttpServletResponseWrapper {
        OnePolicy(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void addHeader(String name, String value) {
            if (CSP.equalsIgnoreCase(name)) {
                super.setHeader(name, value);
            } else {
                super.addHeader(name, value);
            }
        }
    }
}
