package dev.ota.portal;

import dev.ota.account.Accounts;
import dev.ota.account.Caller;
import dev.ota.account.SignIn;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
import dev.ota.error.ErrorBody;
import dev.ota.error.ErrorKind;
import dev.ota.portal.transport.ErrorResponses;
import dev.ota.portal.transport.TransportPolicy;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The portal WAR's one authentication mechanism (Jakarta Security allows one per application).
 * <ul>
 * <li>{@code /api/...}: {@code Authorization: Basic} (user name and password) or {@code Bearer} (an
 * API token) on every call, no session; a failure answers 401 with a JSON body and is audited.</li>
 * <li>pages: a login form ({@link LoginView}) authenticates once and registers a session; each later
 * request re-reads the account's roles, so a changed role takes effect at once. A protected page
 * without a session redirects to the login page. While the account still has its one-time password,
 * every protected page but the change-password form ({@link PasswordView}) redirects to that form.</li>
 * </ul>
 * The caller's roles become the container's groups, which {@code @RolesAllowed} on the services checks.
 */
@ApplicationScoped
public class PortalAuthentication implements HttpAuthenticationMechanism {
    private static final String TOKEN_ID_ATTRIBUTE = "dev.ota.portal.tokenId";
    public static final String PASSWORD_PATH = "/api/v1/account/password";
    /** The portal's change-password form, the only page open to an account with a one-time password. */
    static final String PASSWORD_PAGE = "/app/password.xhtml";
    /** Request attribute telling the login view to continue at the change-password form. */
    static final String MUST_CHANGE_PASSWORD = "dev.ota.portal.must-change-password";
    /** Request attribute telling the login view how many seconds a throttled sign-in must wait. */
    static final String RETRY_AFTER = "dev.ota.portal.retry-after";
    /** Session attribute: the account's session stamp when this session signed in ({@link SignIn.Accepted}). */
    private static final String SESSION_STAMP = "dev.ota.portal.session-stamp";
    /** Liberty's single sign-on cookie (webAppSecurity ssoCookieName, not set in server.xml). */
    static final String SSO_COOKIE = "LtpaToken2";
    private static final TransportPolicy PROXIES = TransportPolicy.fromSetting(System.getenv("OTA_TRUSTED_PROXIES"));

    @EJB
    private Accounts accounts;

    @EJB
    private AuditLog audit;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (ContainerBasicHeader.present(request)) {
            // Liberty would otherwise cut the header at a colon that may be missing (a 500 per request).
            ContainerBasicHeader.forget(request);
            if (!path.startsWith("/api/")) {
                ContainerBasicHeader.formForPages(context);
            }
        }
        return path.startsWith("/api/") ? api(request, response, context, path) : pages(request, response, context, path);
    }

    private AuthenticationStatus pages(HttpServletRequest request, HttpServletResponse response,
                                       HttpMessageContext context, String path) {
        if (context.isAuthenticationRequest()
                && context.getAuthParameters().getCredential() instanceof UsernamePasswordCredential login) {
            SignIn signIn = accounts.authenticatePassword(login.getCaller(), login.getPassword().getValue(),
                    clientAddress(request));
            if (signIn instanceof SignIn.Throttled t) {
                // Not audited one by one (that would let a flood write the audit chain); the failures
                // that caused the wait were.
                response.setStatus(429);
                response.setHeader("Retry-After", Long.toString(t.retryAfter().toSeconds()));
                request.setAttribute(RETRY_AFTER, t.retryAfter().toSeconds());
                return AuthenticationStatus.SEND_FAILURE;
            }
            if (!(signIn instanceof SignIn.Accepted accepted)) {
                audit.recordAttempt(login.getCaller(), "auth.login", path, AuditRecord.Outcome.DENIED,
                        "wrong credentials (portal)");
                return AuthenticationStatus.SEND_FAILURE;
            }
            Caller caller = accepted.caller();
            if (caller.mustChangePassword()) {
                request.setAttribute(MUST_CHANGE_PASSWORD, Boolean.TRUE);
            }
            // A new session id at sign-in: an id planted or seen before the sign-in (session fixation)
            // must not become an authenticated session.
            if (request.getSession(false) != null) {
                request.changeSessionId();
            }
            continueSession(request, accepted.sessionStamp());
            context.setRegisterSession(caller.name(), caller.roles());
            return context.notifyContainerAboutLogin(caller.name(), caller.roles());
        }
        Principal session = request.getUserPrincipal();
        if (session != null) {
            // An LtpaToken2 cookie alone, or a session begun before the password, roles or state of
            // the account changed, opens nothing: the change ended it.
            Optional<Caller> caller = accounts.sessionCaller(session.getName(), sessionStamp(request));
            if (caller.isPresent()) {
                // Re-read on every request, so the form stops being forced the moment the password changed.
                if (caller.get().mustChangePassword() && context.isProtected() && !path.equals(PASSWORD_PAGE)) {
                    return context.redirect(request.getContextPath() + PASSWORD_PAGE);
                }
                return context.notifyContainerAboutLogin(caller.get().name(), caller.get().roles());
            }
            // Only a session that signed in ends here. One without a stamp never did (the sign-in
            // form's own, holding its view state): ending it made the form's post arrive "expired".
            HttpSession http = request.getSession(false);
            if (http != null && sessionStamp(request) != null) {
                http.invalidate();
            }
            context.cleanClientSubject();
            forgetSignIn(request, response);
        }
        if (context.isProtected()) {
            return context.redirect(request.getContextPath() + "/login.xhtml");
        }
        return context.doNothing();
    }

    /**
     * Expires the browser's LtpaToken2 once it names a sign-in that has ended. Liberty keeps accepting
     * the token until it times out (it is not tied to the session), so the browser would send it with
     * every later request, the next sign-in form's post included; there it was found stale again and
     * the form's session ended with it, so the person could not sign in again in that browser. Same
     * name and path as Liberty issues it (server.xml sets neither), with the flags of the sign-in
     * cookies; Secure when the client uses HTTPS, as SecureCookies would add (this response may be a
     * redirect, committed before that filter runs).
     */
    static void forgetSignIn(HttpServletRequest request, HttpServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        Cookie expired = new Cookie(SSO_COOKIE, "");
        expired.setPath("/");
        expired.setMaxAge(0);
        expired.setHttpOnly(true);
        expired.setSecure(PROXIES.clientUsesHttps(request.isSecure(), request.getRemoteAddr(),
                request.getHeader("X-Forwarded-Proto")));
        expired.setAttribute("SameSite", "Strict");
        response.addCookie(expired);
    }

    /** The stamp this request's session signed in with, or null. */
    static String sessionStamp(HttpServletRequest request) {
        HttpSession http = request.getSession(false);
        return http != null && http.getAttribute(SESSION_STAMP) instanceof String s ? s : null;
    }

    /** Binds the session to the account's current stamp (at sign-in, and after its own password change). */
    static void continueSession(HttpServletRequest request, String sessionStamp) {
        request.getSession(true).setAttribute(SESSION_STAMP, sessionStamp);
    }

    /**
     * The address password guessing is counted against: the peer, or the last hop of
     * {@code X-Forwarded-For} when the peer is a proxy we trust (listed in {@code OTA_TRUSTED_PROXIES},
     * or on loopback, as for the HTTPS decision). Anyone else's header is ignored: it would let one
     * client appear as many. Null for the server's own host without that header (a local proxy that
     * does not say for whom, or a script beside the server): one address for everyone would let one
     * person's typos lock out all the others, so only the per-account limit applies there.
     */
    static String clientAddress(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null) {
            return TransportPolicy.isLoopback(peer) ? null : peer;
        }
        if (!PROXIES.believesForwardingFrom(peer)) {
            return peer;
        }
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).strip();
        return last.isEmpty() || last.length() > 64 ? peer : last;
    }

    private AuthenticationStatus api(HttpServletRequest request, HttpServletResponse response,
                                     HttpMessageContext context, String path) {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return context.isProtected()
                    ? refuse(request, response, 401, "auth.missing", "credentials are required: Basic or Bearer")
                    : context.doNothing();
        }
        Optional<Caller> caller;
        String claimed;
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            char[] decoded = decodeBasic(header.substring(6).strip());
            int colon = indexOf(decoded, ':');
            if (colon < 0) {
                Arrays.fill(decoded, '\0');
                audit.recordAttempt("anonymous", "auth.login", path, AuditRecord.Outcome.DENIED,
                        "malformed Basic credentials");
                return refuse(request, response, 401, "auth.malformed",
                        "Basic credentials must be base64 of user:password");
            }
            claimed = new String(decoded, 0, colon);
            char[] password = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
            Arrays.fill(decoded, '\0');
            SignIn signIn;
            try {
                signIn = accounts.authenticatePassword(claimed, password, clientAddress(request));
            } finally {
                Arrays.fill(password, '\0');
            }
            if (signIn instanceof SignIn.Throttled t) {
                response.setHeader("Retry-After", Long.toString(t.retryAfter().toSeconds()));
                return refuse(request, response, 429, "auth.throttled", "too many failed sign-ins for this account or "
                        + "address; try again in " + t.retryAfter().toSeconds() + " seconds");
            }
            caller = signIn instanceof SignIn.Accepted a ? Optional.of(a.caller()) : Optional.empty();
        } else if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            claimed = "token";
            caller = accounts.authenticateToken(header.substring(7).strip());
        } else {
            audit.recordAttempt("anonymous", "auth.login", path, AuditRecord.Outcome.DENIED,
                    "unsupported Authorization scheme");
            return refuse(request, response, 401, "auth.unsupported", "use Basic or Bearer authentication");
        }
        if (caller.isEmpty()) {
            audit.recordAttempt(claimed, "auth.login", path, AuditRecord.Outcome.DENIED, "wrong credentials");
            return refuse(request, response, 401, "auth.invalid", "the credentials are not valid");
        }
        Caller c = caller.get();
        if (c.mustChangePassword() && !path.equals(PASSWORD_PATH)) {
            return refuse(request, response, 403, "account.password-change-required",
                    "change the one-time password first: POST " + request.getContextPath() + PASSWORD_PATH);
        }
        if (c.tokenId() != null) {
            request.setAttribute(TOKEN_ID_ATTRIBUTE, c.tokenId());
        }
        return context.notifyContainerAboutLogin(c.name(), c.roles());
    }

    /** The API token's id when an API call authenticated with one (a {@code Long}); absent for a password. */
    public static Long tokenId(HttpServletRequest request) {
        return request.getAttribute(TOKEN_ID_ATTRIBUTE) instanceof Long id ? id : null;
    }

    private static AuthenticationStatus refuse(HttpServletRequest request, HttpServletResponse response, int status,
                                               String code, String message) {
        try {
            if (status == 401) {
                response.setHeader("WWW-Authenticate", "Basic realm=\"ota\", Bearer realm=\"ota\"");
            }
            ErrorResponses.send(request, response, ErrorBody.of(ErrorKind.ofStatus(status), code, message));
        } catch (IOException e) {
            // The client went away; nothing to tell it.
        }
        return AuthenticationStatus.SEND_FAILURE;
    }

    private static char[] decodeBasic(String b64) {
        try {
            byte[] raw = Base64.getDecoder().decode(b64);
            CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(raw));
            Arrays.fill(raw, (byte) 0);
            char[] out = new char[chars.remaining()];
            chars.get(out);
            return out;
        } catch (IllegalArgumentException e) {
            return new char[0];
        }
    }

    private static int indexOf(char[] chars, char c) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
