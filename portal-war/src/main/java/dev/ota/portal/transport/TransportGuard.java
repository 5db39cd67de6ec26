package dev.ota.portal.transport;

import dev.ota.error.ErrorBody;
import dev.ota.error.ErrorKind;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Keeps the portal and the management API off plain HTTP from the network ({@link TransportPolicy}):
 * a page fetched with GET or HEAD is redirected to the same address over HTTPS; anything else (form
 * posts, every API call) is refused with 403 and a JSON body naming the HTTPS URL, so a script that
 * sent a password in clear fails at once instead of working and teaching people to do it.
 * <p>
 * Only this WAR ({@code /portal}) is guarded. {@code /metadata} and {@code /targets} (device-api-war)
 * stay on plain HTTP on purpose: they carry no credentials, TUF verifies every byte by signature and
 * hash, and devices and CDNs fetch them that way.
 * <p>
 * The container checks Basic and Bearer credentials before filters run, so a client that sends them
 * in clear has already exposed them; this refusal makes that mistake visible on the first call. The
 * login form is never served over plain HTTP from the network, so browsers post it over HTTPS.
 * <p>
 * Settings (environment): {@code OTA_TRUSTED_PROXIES}, addresses of TLS-terminating proxies whose
 * {@code X-Forwarded-Proto: https} is believed; {@code OTA_HTTPS_PORT} (9443), the port redirects and
 * refusals point to, at the address the connection arrived at; {@code OTA_PUBLIC_HTTPS_URL}, e.g.
 * {@code https://ota.example.com}, to name a proxy's address instead. The Host header is never used.
 */
@WebFilter(filterName = "transportGuard", urlPatterns = "/*")
public class TransportGuard extends HttpFilter {
    private static final long serialVersionUID = 1L;

    private transient TransportPolicy policy;
    private String httpsPort;
    private String publicHttpsUrl;

    @Override
    public void init() {
        policy = TransportPolicy.fromSetting(System.getenv("OTA_TRUSTED_PROXIES"));
        String port = System.getenv("OTA_HTTPS_PORT");
        httpsPort = port == null || port.isBlank() ? "9443" : port.strip();
        String url = System.getenv("OTA_PUBLIC_HTTPS_URL");
        publicHttpsUrl = url == null || url.isBlank() ? null : url.strip().replaceAll("/+$", "");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        boolean forwarded = request.getHeader("X-Forwarded-Proto") != null
                || request.getHeader("X-Forwarded-For") != null || request.getHeader("Forwarded") != null;
        TransportPolicy.Verdict verdict = policy.judge(request.isSecure(), request.getRemoteAddr(),
                request.getHeader("X-Forwarded-Proto"), forwarded);
        if (verdict.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        String https = httpsUrl(request);
        boolean api = request.getRequestURI().startsWith(request.getContextPath() + "/api/");
        String method = request.getMethod();
        if (!api && (method.equals("GET") || method.equals("HEAD"))) {
            response.sendRedirect(https);
            return;
        }
        ErrorResponses.send(request, response, ErrorBody.of(ErrorKind.FORBIDDEN, "transport.https-required",
                "the portal and the management API accept credentials only over HTTPS"
                        + " (this request came over plain HTTP from the network); use " + https)
                .with("httpsUrl", https));
    }

    private String httpsUrl(HttpServletRequest request) {
        // Never the Host header: any client sets it, and a redirect or refusal naming an address the
        // client chose would send the next request (with its credentials) there. Without a configured
        // public URL, the address this connection arrived at is the one that reaches this server.
        String base = publicHttpsUrl != null ? publicHttpsUrl
                : "https://" + hostForUrl(request.getLocalAddr().replaceFirst("%.*$", "")) + (httpsPort.equals("443") ? "" : ":" + httpsPort);
        String query = request.getQueryString();
        return base + request.getRequestURI() + (query == null ? "" : "?" + query);
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
