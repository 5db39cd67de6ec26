package dev.ota.portal.api;

import dev.ota.audit.AuditOrigin;
import dev.ota.portal.PortalAuthentication;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Marks every audit entry an API call makes with the API token it authenticated with (authentication
 * runs before filters), and clears the mark when the call ends, since the thread serves others next.
 */
@WebFilter(filterName = "tokenOrigin", urlPatterns = "/api/*")
public class TokenOrigin extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Long token = PortalAuthentication.tokenId(request);
        if (token == null) {
            chain.doFilter(request, response);
            return;
        }
        AuditOrigin.set("API token " + token);
        try {
            chain.doFilter(request, response);
        } finally {
            AuditOrigin.clear();
        }
    }
}
