package dev.ota.portal.transport;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Marks every cookie of a response {@code Secure} when the client reached the portal over HTTPS
 * ({@link TransportPolicy#clientUsesHttps}), and leaves them as they are for plain HTTP from the
 * loopback interface, which the README allows and where a Secure cookie would never come back.
 * <p>
 * Why not Liberty's settings: {@code httpSession cookieSecure} and {@code webAppSecurity
 * ssoRequiresSSL} hold for every request alike, and with {@code ssoRequiresSSL} Liberty does not even
 * issue LtpaToken2 over plain HTTP, so signing in on loopback would stop working. Without them the
 * session (JSESSIONID) and sign-in (LtpaToken2) cookies had no Secure attribute over HTTPS either,
 * so a browser sent them in clear to any {@code http://} address of the same host (the plain-HTTP
 * device port, for one).
 * <p>
 * Cookies added through the response this filter hands on get the attribute as they are added.
 * Liberty adds its own beside the servlet API: the session manager writes JSESSIONID straight onto
 * the container's response, past any wrapper, and so may the security code. Before the response is
 * committed (a redirect, an error, a flush, or the end of the request) those are read back from the
 * container's response and added again with Secure ({@link #secureContainerCookies}).
 */
@WebFilter(filterName = "secureCookies", urlPatterns = "/*")
public class SecureCookies extends HttpFilter {
    private static final long serialVersionUID = 1L;

    private transient TransportPolicy policy;

    @Override
    public void init() {
        policy = TransportPolicy.fromSetting(System.getenv("OTA_TRUSTED_PROXIES"));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!policy.clientUsesHttps(request.isSecure(), request.getRemoteAddr(), request.getHeader("X-Forwarded-Proto"))) {
            chain.doFilter(request, response);
            return;
        }
        Secured secured = new Secured(response);
        try {
            chain.doFilter(request, secured);
        } finally {
            secured.secureContainerCookies();
        }
    }

    /** {@code value} of a Set-Cookie header with the Secure attribute, added if it lacks one. */
    static String withSecure(String setCookie) {
        for (String attribute : setCookie.split(";")) {
            if (attribute.strip().toLowerCase(Locale.ROOT).equals("secure")) {
                return setCookie;
            }
        }
        return setCookie + "; Secure";
    }

    /**
     * Adds Secure to the cookies Liberty put on its own response, which no wrapper sees. Liberty's
     * response has public {@code getCookies()} and {@code removeCookie(String)} (not in the servlet
     * API, hence reflection). Its copies lose HttpOnly and SameSite, so they are set again as
     * server.xml asks for the session and sign-in cookies: HttpOnly, SameSite=Strict.
     * Another container, or a Liberty without these methods, is left as it is (AccountSecurityIT
     * checks the attributes over HTTPS, so that shows).
     */
    static void secureContainerCookies(HttpServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        ServletResponse container = response;
        while (container instanceof ServletResponseWrapper wrapper) {
            container = wrapper.getResponse();
        }
        if (!(container instanceof HttpServletResponse http)) {
            return;
        }
        try {
            Cookie[] cookies = (Cookie[]) http.getClass().getMethod("getCookies").invoke(http);
            if (cookies == null) {
                return;
            }
            Set<String> insecure = new LinkedHashSet<>();
            for (Cookie cookie : cookies) {
                if (!cookie.getSecure()) {
                    insecure.add(cookie.getName());
                }
            }
            if (insecure.isEmpty()) {
                return;
            }
            List<Cookie> again = new ArrayList<>();
            for (Cookie cookie : cookies) {
                if (insecure.contains(cookie.getName())) {
                    cookie.setSecure(true);
                    cookie.setHttpOnly(true);
                    cookie.setAttribute("SameSite", "Strict");
                    again.add(cookie);
                }
            }
            for (String name : insecure) {
                http.getClass().getMethod("removeCookie", String.class).invoke(http, name);
            }
            for (Cookie cookie : again) {
                http.addCookie(cookie);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not Liberty's response: nothing is known about cookies added past the wrapper.
        }
    }

    /** The response handed on: Secure on every cookie added through it, and Liberty's before commit. */
    static final class Secured extends HttpServletResponseWrapper {
        Secured(HttpServletResponse response) {
            super(response);
        }

        void secureContainerCookies() {
            SecureCookies.secureContainerCookies(this);
        }

        @Override
        public void addCookie(Cookie cookie) {
            cookie.setSecure(true);
            super.addCookie(cookie);
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, "Set-Cookie".equalsIgnoreCase(name) && value != null ? withSecure(value) : value);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, "Set-Cookie".equalsIgnoreCase(name) && value != null ? withSecure(value) : value);
        }

        @Override
        public void sendRedirect(String location) throws IOException {
            secureContainerCookies();
            super.sendRedirect(location);
        }

        @Override
        public void sendError(int status) throws IOException {
            secureContainerCookies();
            super.sendError(status);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            secureContainerCookies();
            super.sendError(status, message);
        }

        @Override
        public void flushBuffer() throws IOException {
            secureContainerCookies();
            super.flushBuffer();
        }
    }
}
