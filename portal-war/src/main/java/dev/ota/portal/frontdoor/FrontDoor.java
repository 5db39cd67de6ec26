package dev.ota.portal.frontdoor;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The addresses a person types without a page name: {@code /portal/} (README's address) and
 * {@code /portal/app/}. They answer with a redirect to the repository status page, whose security
 * constraint then sends a person who is not signed in to the sign-in form, and one who must still
 * replace a one-time password to that form. A redirect rather than a welcome-file forward: the page
 * then runs at its own address, so its form posts, its links and its policy are the page's own.
 * ({@code /portal} without the slash is redirected to {@code /portal/} by Liberty.)
 */
@WebServlet(name = "frontDoor", urlPatterns = {"", "/app", "/app/"})
public class FrontDoor extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String HOME = "/app/status.xhtml";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        // A path-absolute Location (RFC 9110 allows it): never built from the request's Host header.
        response.setStatus(HttpServletResponse.SC_FOUND);
        response.setHeader("Location", request.getContextPath() + HOME);
    }
}
