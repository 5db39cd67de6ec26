package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.http.HttpResponse;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web layer's protections on the real server: the portal and its API only over HTTPS or
 * loopback (the IT server listens on 127.0.0.1 only, so "the network" is played by a local proxy
 * that says it relays plain HTTP), while the TUF files stay on plain HTTP.
 */
@ExtendWith(ArquillianExtension.class)
class WebSecurityIT {
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        File ear = new File(System.getProperty("ota.ear.file"));
        assertTrue(ear.isFile(), "the EAR must be built before the ITs: " + ear);
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, ear);
    }

    @Test
    void managementApiAnswersOverHttpsOnTheServersHttpsPort() {
        String[] admin = ItAccounts.admin(http);

        HttpResponse<byte[]> account = Http.https().get("/portal/api/v1/account", admin);

        assertEquals(200, account.statusCode(), Http.text(account));
        assertTrue(Http.text(account).contains("\"admin\""), Http.text(account));
    }

    @Test
    void apiCallRelayedOverPlainHttpIsRefusedWithTheHttpsUrl() {
        String[] admin = ItAccounts.admin(http);

        HttpResponse<byte[]> refused = http.get("/portal/api/v1/account?x=1", concat(admin,
                "X-Forwarded-Proto", "http", "X-Forwarded-For", "203.0.113.9"));

        assertEquals(403, refused.statusCode(), Http.text(refused));
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        String body = Http.text(refused);
        assertTrue(body.contains("\"code\":\"transport.https-required\""), body);
        assertTrue(body.contains("\"httpsUrl\":\"https://127.0.0.1:" + System.getProperty("ota.it.https.port")
                + "/portal/api/v1/account?x=1\""), body);
    }

    @Test
    void portalPageRelayedOverPlainHttpIsRedirectedToHttps() {
        HttpResponse<byte[]> page = http.get("/portal/login.xhtml", "X-Forwarded-For", "203.0.113.9");

        assertEquals(302, page.statusCode());
        assertEquals("https://127.0.0.1:" + System.getProperty("ota.it.https.port") + "/portal/login.xhtml",
                page.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void tufMetadataStaysAvailableOverPlainHttpEvenThroughAProxy() {
        HttpResponse<byte[]> root = http.get("/metadata/1.root.json", "X-Forwarded-Proto", "http",
                "X-Forwarded-For", "203.0.113.9");

        assertEquals(200, root.statusCode());
    }

    @Test
    void nonNumericPagingParametersAreABadRequestNamingTheParameter() {
        String[] admin = ItAccounts.admin(http);

        HttpResponse<byte[]> releases = http.get("/portal/api/v1/releases?limit=ten", admin);
        HttpResponse<byte[]> audit = http.get("/portal/api/v1/audit?limit=1e3", admin);

        assertEquals(400, releases.statusCode(), Http.text(releases));
        assertTrue(Http.text(releases).contains("\"code\":\"request.invalid-parameter\""), Http.text(releases));
        assertTrue(Http.text(releases).contains("'limit'"), Http.text(releases));
        assertEquals(400, audit.statusCode(), Http.text(audit));
    }

    @Test
    void dataDirectoryAndTheH2DatabaseAreOwnerOnly() throws java.io.IOException {
        java.nio.file.Path data = java.nio.file.Path.of(System.getProperty("ota.data.dir"));
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.getFileStore(data)
                .supportsFileAttributeView("posix"));
        http.get("/metadata/timestamp.json"); // the server is up, so start-up has run

        assertEquals("rwx------", permissions(data));
        java.nio.file.Path h2 = data.resolve("h2");
        if (java.nio.file.Files.isDirectory(h2)) { // an H2 run (the PostgreSQL run has none)
            assertEquals("rwx------", permissions(h2));
            assertEquals("rw-------", permissions(h2.resolve("ota.mv.db")));
        }
        assertEquals("rwx------", permissions(data.resolve("keys")));
        assertEquals("rw-------", permissions(data.resolve("keys").resolve("online-keys.p12")));
    }

    private static String permissions(java.nio.file.Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p));
    }

    @Test
    void oversizedMultipartPostToTheLoginPageIsRefusedBeforeItsBodyIsRead() throws java.io.IOException {
        // Declares 512 MiB but sends only 1 MiB: an answer can only come if the server did not wait
        // for (or spool) the body; a server that read on would leave this socket silent until the timeout.
        long declared = 512L << 20;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1",
                Integer.parseInt(System.getProperty("ota.it.http.port")))) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /portal/login.xhtml HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: multipart/form-data; boundary=b0undary\r\n"
                    + "Content-Length: " + declared + "\r\n\r\n"
                    + "--b0undary\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            try {
                out.write(new byte[1 << 20]);
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // the server may close before the megabyte is through; its answer is still readable
            }
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            long millis = (System.nanoTime() - started) / 1_000_000;

            assertTrue(statusLine != null && statusLine.startsWith("HTTP/1.1 415"), "status: " + statusLine);
            assertTrue(millis < 5_000, "answered after " + millis + " ms");
        }
    }

    @Test
    void portalPagesCarryPrimeFacesNonceCspAndTheBrowserProtectionHeaders() {
        HttpResponse<byte[]> page = Http.https().get("/portal/login.xhtml");

        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.startsWith("default-src 'self'; object-src 'none';"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'") && csp.matches(".*script-src 'self' 'nonce-[^']+';?"), csp);
        assertEquals(1, page.headers().allValues("Content-Security-Policy").size(), "one policy, not two intersected");
        String nonce = csp.replaceAll(".*'nonce-([^']+)'.*", "$1");
        assertTrue(Http.text(page).contains("nonce=\"" + nonce + "\""), "the page's scripts carry the nonce");
        assertBrowserProtections(page);
        assertEquals("max-age=31536000", page.headers().firstValue("Strict-Transport-Security").orElse(""));
    }

    @Test
    void apiResponsesForbidEverythingAndHstsOnlyOverHttps() {
        String[] admin = ItAccounts.admin(http);

        HttpResponse<byte[]> overTls = Http.https().get("/portal/api/v1/account", admin);
        HttpResponse<byte[]> overLoopback = http.get("/portal/api/v1/account", admin);

        assertEquals("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                overTls.headers().firstValue("Content-Security-Policy").orElse(""));
        assertBrowserProtections(overTls);
        assertBrowserProtections(overLoopback);
        assertEquals("max-age=31536000", overTls.headers().firstValue("Strict-Transport-Security").orElse(""));
        assertTrue(overLoopback.headers().firstValue("Strict-Transport-Security").isEmpty(),
                "HSTS only on HTTPS responses");
    }

    @Test
    void tufFilesAreServedWithNosniff() {
        assertEquals("nosniff", http.get("/metadata/timestamp.json").headers()
                .firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("nosniff", http.get("/metadata/99999.root.json").headers()
                .firstValue("X-Content-Type-Options").orElse(""), "on a 404 too");
    }

    private static void assertBrowserProtections(HttpResponse<byte[]> r) {
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
