package dev.ota.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small HTTP client for the ITs: the server under test at 127.0.0.1 on the IT port (or a given one). */
final class Http {
    // HTTP/1.1 as devices and TUF clients speak it (an h2c upgrade truncated large chunked responses).
    private final HttpClient client;
    private final String base;

    Http() {
        this(Integer.parseInt(System.getProperty("ota.it.http.port", "9180")));
    }

    Http(int port) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.base = "http://127.0.0.1:" + port;
    }

    private Http(HttpClient client, String base) {
        this.client = client;
        this.base = base;
    }

    /**
     * The IT server's HTTPS port. Its certificate is the self-signed one Liberty generates at the
     * first start, so this client (test code only) accepts any certificate and host name.
     */
    static Http https() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(anyCertificate())
                .connectTimeout(Duration.ofSeconds(10)).build();
        return new Http(client, "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543"));
    }

    /** TLS that accepts the IT server's self-signed certificate (and any other: test code only). */
    static javax.net.ssl.SSLContext anyCertificate() {
        try {
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, new javax.net.ssl.TrustManager[] {new AnyCertificate()}, null);
            return tls;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trusts everything, host name included (an X509ExtendedTrustManager skips the JDK's own check). */
    private static final class AnyCertificate extends javax.net.ssl.X509ExtendedTrustManager {
        @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) { }
        @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) { }
        @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) { }
        @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) { }
        @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
        @Override public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    HttpResponse<byte[]> head(String path, String... headers) {
        return send(request(path, headers).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<byte[]> postJson(String path, String json, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<byte[]> send(String method, String path, String[] credentials, String... headers) {
        return send(request(path, concat(credentials, headers)).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    HttpResponse<byte[]> sendBytes(String method, String path, byte[] body, String[] credentials) {
        return send(request(path, concat(credentials, new String[] {"Content-Type", "application/octet-stream"}))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<byte[]> sendBytes(String method, String path, String contentType, byte[] body, String[] credentials) {
        return send(request(path, concat(credentials, new String[] {"Content-Type", contentType}))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** The body streamed without a Content-Length (chunked transfer encoding): the length is known only at its end. */
    HttpResponse<byte[]> sendChunked(String method, String path, byte[] body, String[] credentials) {
        return send(request(path, concat(credentials, new String[] {"Content-Type", "application/octet-stream"}))
                .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String[] basic(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new String[] {"Authorization", "Basic " + token};
    }

    static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
