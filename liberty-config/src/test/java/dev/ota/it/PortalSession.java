package dev.ota.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One person's portal session (plain HTTP on loopback, or HTTPS): a cookie jar, the Faces view
 * state of the last page, and form posts as the browser would send them. Redirects are not followed, so tests see them.
 */
final class PortalSession {
    private static final Pattern NONCE = Pattern.compile("'nonce-([^']+)'");
    private static final Pattern VIEW_STATE = Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");

    // HTTP/1.1: over an h2c upgrade, Liberty's chunked Faces pages arrived truncated.
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;
    private final String base;

    /** Over plain HTTP on loopback. */
    PortalSession() {
        this(HttpClient.newBuilder(), "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180"));
    }

    private PortalSession(HttpClient.Builder builder, String base) {
        this.client = builder.version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        this.base = base;
    }

    /** Over HTTPS, trusting the IT server's self-signed certificate as {@link Http#https()} does. */
    static PortalSession https() {
        return new PortalSession(HttpClient.newBuilder().sslContext(Http.anyCertificate()),
                "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543"));
    }

    /** The value of a cookie in this session's jar, or null. */
    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(java.net.HttpCookie::getValue).findFirst().orElse(null);
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** Which PrimeFaces CSP nonce a form post carries. */
    enum Nonce {
        /** the one of the page the form came from, as PrimeFaces' script adds it in a browser */
        PAGE,
        /** none: a client that does not run the page's script */
        NONE,
        /** a well-formed nonce of some other page */
        FOREIGN
    }

    /** Posts a form of the page at {@code path}, with that page's view state and nonce, as a browser does. */
    HttpResponse<String> submit(String path, String form, Map<String, String> fields) {
        return submit(path, form, fields, Nonce.PAGE);
    }

    HttpResponse<String> submit(String path, String form, Map<String, String> fields, Nonce nonce) {
        return submit(path, path, form, fields, nonce);
    }

    /**
     * Posts a form to {@code path} with the view state and nonce of the page at {@code statePage}: what
     * a person sends who cannot open {@code path} itself but forges its form from a page they may open.
     */
    HttpResponse<String> submit(String statePage, String path, String form, Map<String, String> fields, Nonce nonce) {
        String body = formFields(statePage, form, fields, nonce).entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Posts a multipart form (a file upload) of the page at {@code path}: its fields and one file. */
    HttpResponse<String> upload(String path, String form, Map<String, String> fields, String fileField, byte[] file,
                                Nonce nonce) {
        String boundary = "----portal-session-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : formFields(path, form, fields, nonce).entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey()
                    + "\"\r\n\r\n" + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
                + "\"; filename=\"upload.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private Map<String, String> formFields(String path, String form, Map<String, String> fields, Nonce nonce) {
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
        // PrimeFaces' CSP mode: its script adds the page's nonce to every form; a browser-less client
        // takes it from the page's policy header.
        switch (nonce) {
            case PAGE -> all.put("primefaces.nonce", page.headers().firstValue("Content-Security-Policy")
                    .map(NONCE::matcher).filter(Matcher::find).map(n -> n.group(1))
                    .orElseThrow(() -> new IllegalStateException(path + " sent no nonce in its policy")));
            case FOREIGN -> all.put("primefaces.nonce", Base64.getEncoder().encodeToString(
                    UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
            case NONE -> { }
        }
        return all;
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
