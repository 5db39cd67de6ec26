package dev.ota.portal.transport;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Browser protections on every response of the portal and the management API: no framing
 * (clickjacking), no MIME sniffing, no Referer leaving the portal (URLs can carry release paths),
 * HSTS on HTTPS responses, and a Content-Security-Policy.
 * <p>
 * The Faces pages ({@code *.xhtml}) get their policy from PrimeFaces' CSP mode ({@code primefaces.CSP}
 * and {@code primefaces.CSP_POLICY} in web.xml): it puts a fresh nonce on every script PrimeFaces and
 * the page render, moves inline event handlers into nonce-bearing scripts, and sends
 * {@link #PAGE_POLICY} with the nonce appended. Setting a second policy here would be intersected by
 * the browser with that one and block the nonce-bearing scripts, so pages get none from this filter.
 * Everything else (JSON, error.html) needs no script, style or frame: {@link #DOCUMENT_POLICY}.
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

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        apply(request, response);
        chain.doFilter(request, response);
    }

    /**
     * Sets the headers on one response. Also called by {@link ErrorResponses} for refusals written
     * before this filter runs (the authentication mechanism answers 401 ahead of every filter).
     */
    static void apply(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", HSTS);
        }
        if (!isFacesPage(request.getServletPath())) {
            response.setHeader("Content-Security-Policy", DOCUMENT_POLICY);
        }
    }

    /** Faces views and the resources Faces serves (scripts, styles) under *.xhtml. */
    static boolean isFacesPage(String servletPath) {
        return servletPath != null && servletPath.endsWith(".xhtml");
    }
}
