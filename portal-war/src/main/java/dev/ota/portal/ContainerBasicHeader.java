package dev.ota.portal;

import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Keeps Open Liberty from parsing an {@code Authorization: Basic} header after {@link PortalAuthentication}
 * has decided the request.
 * <p>
 * Why: once the mechanism returns, Liberty's {@code WebProviderAuthenticatorProxy} (26.0.0.3, and
 * its sources back to 2018) takes the user name for its own audit record out of a header that starts
 * with {@code "Basic "} when the request's authentication type is {@code BASIC}: it base64-decodes
 * the rest and cuts at the first colon without checking that there is one. {@code Basic Zm9v}
 * ("foo") threw {@code StringIndexOutOfBoundsException}, {@code Basic !!!} (not base64) a
 * {@code NullPointerException}: a 500 and an FFDC file per request, whatever the mechanism answered.
 * <p>
 * The type is {@code BASIC} because the WAR declares no {@code <login-config>} (the default is
 * BASIC), and it cannot declare one: Liberty refuses to deploy a module with both an
 * HttpAuthenticationMechanism and an explicit {@code auth-method} (CWWKS1931E, from its Jakarta
 * Security CDI extension; a {@code <login-config>} without one defaults to BASIC again). Which
 * status the mechanism returns does not matter either: the container parses the header after every
 * outcome (JASPIC never answers "continue" while a mechanism is installed), except for
 * {@code SecurityContext.authenticate} from the login form.
 * <p>
 * Liberty keeps the type in a private request attribute, {@code AUTH_TYPE}, written before the
 * mechanism runs and read right after it. On success it is written again from the JASPIC message
 * map ({@code jakarta.servlet.http.authType}, standard JASPIC): {@link #formForPages} uses that. A
 * refusal has no such hook, so {@link #forget} removes the attribute through the container request's
 * public {@code removePrivateAttribute}. Without a type Liberty skips its parse; its audit record
 * (the audit feature is not used here) loses a user name it could not have read anyway, and ours
 * records the attempt. AccountSecurityIT sends both headers and counts FFDC files, so a Liberty
 * release that renames the method fails the build instead of bringing the 500 back.
 */
final class ContainerBasicHeader {
    private static final String LIBERTY_AUTH_TYPE = "AUTH_TYPE";
    private static final String JASPIC_AUTH_TYPE = "jakarta.servlet.http.authType";

    private ContainerBasicHeader() {
    }

    /** Whether the container would parse this request's Authorization header as Basic credentials. */
    static boolean present(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        return header != null && header.startsWith("Basic ");
    }

    /** Removes the container's record that this request authenticates by BASIC (for a refusal or a redirect). */
    static void forget(HttpServletRequest request) {
        ServletRequest container = request;
        while (container instanceof ServletRequestWrapper wrapper) {
            container = wrapper.getRequest();
        }
        try {
            container.getClass().getMethod("removePrivateAttribute", String.class).invoke(container, LIBERTY_AUTH_TYPE);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not Liberty, or a Liberty without the attribute: then nothing parses the header after us.
        }
    }

    /**
     * Says that a page request (the login form and its session, never a Basic header) succeeded as
     * FORM, which the container records instead of BASIC when the mechanism lets the request through.
     */
    static void formForPages(HttpMessageContext context) {
        context.getMessageInfo().getMap().put(JASPIC_AUTH_TYPE, "FORM");
    }
}
