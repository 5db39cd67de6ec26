package dev.ota.it;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One person's portal session over plain HTTP: a cookie jar, the Faces view state of the last page,
 * and form posts as the browser would send them. Redirects are not followed, so tests see them.
 */
final class PortalSession {
    private static final Pattern NONCE = Pattern.compile("'nonce-([^']+)'");
    private static final Pattern VIEW_STATE = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");

    // HTTP/1.1: over an h2c upgrade, Liberty's chunked Faces pages arrived truncated.
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final String base = "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180");

    /** The value of a cookie in this session's jar, or null. */
    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(java.net.HttpCookie::getValue).findFirst().orElse(null);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** Posts a form of the page at {@code path}, with that page's view state. */
    HttpResponse<String> submit(String path, String form, Map<String, String> fields) {
        HttpResponse<String> page = get(path);
        Matcher m = VIEW_STATE.matcher(page.body());
        if (!m.find()) {
            throw new IllegalStateException(path + " has no Faces view state: HTTP " + page.statusCode() + " "
                    + page.body().substring(Math.max(0, page.body().length() - 300)));
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put(form, form);
        all.putAll(fields);
        all.put("jakarta.faces.ViewState", m.group(1).replace("&#58;", ":"));
        // PrimeFaces' CSP mode: its script adds the page's nonce to every form, and a postback
        // without it is refused; a browser-less client takes it from the page's policy header.
        page.headers().firstValue("Content-Security-Policy").map(NONCE::matcher).filter(Matcher::find)
                .ifPresent(n -> all.put("primefaces.nonce", n.group(1)));
        String body = all.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> signIn(String user, String password) {
        return submit("/portal/login.xhtml", "loginForm", Map.of("loginForm:username", user,
                "loginForm:password", password, "loginForm:signIn", ""));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
