package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a client sees when a request goes wrong, for requests a security probe sent: always the JSON
 * body {@code {"code", "message"}} (pages may get the portal's own error page), never the container's
 * HTML page or a stack frame, always with the security headers; and the smaller leaks it found
 * (TRACE offered, the Host header in redirects, refusals logged as errors).
 */
@ExtendWith(ArquillianExtension.class)
class ErrorShapeIT {
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return WebSecurityIT.ear();
    }

    @Test
    void targetNameWithEncodedSlashesIsAJsonErrorWithoutStackFrames() {
        HttpResponse<byte[]> r = http.get("/targets/firmware%2flock%2fx.bin");

        assertJsonError(r, 400);
    }

    @Test
    void metadataNameWithEncodedSlashIsAJsonError() {
        HttpResponse<byte[]> r = http.get("/metadata/..%2f1.root.json");

        assertJsonError(r, 400);
    }

    @Test
    void apiPathWithEncodedSlashIsAJsonError() {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/releases%2fx", ItAccounts.admin(http));

        assertJsonError(r, 400);
        assertSecurityHeaders(r);
    }

    @Test
    void contentTypeOfOnlySemicolonsIsAJsonBadRequest() {
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/api/v1/tokens", ";;;",
                "{\"label\":\"x\"}".getBytes(StandardCharsets.UTF_8), ItAccounts.admin(http));

        assertJsonError(r, 400);
        assertSecurityHeaders(r);
    }

    @Test
    void missingCredentialsAre401WithTheSecurityHeaders() {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/account");

        assertJsonError(r, 401);
        assertSecurityHeaders(r);
    }

    @Test
    void wrongPasswordIs401WithTheSecurityHeaders() {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/account", Http.basic("admin", "not-the-password-123"));

        assertJsonError(r, 401);
        assertSecurityHeaders(r);
    }

    @Test
    void unknownApiPathIsAJsonNotFoundWithTheSecurityHeaders() {
        HttpResponse<byte[]> r = http.get("/portal/api/v1/no-such-thing", ItAccounts.admin(http));

        assertJsonError(r, 404);
        assertSecurityHeaders(r);
    }

    @Test
    void unknownPortalPathOutsideTheApiIsNoContainerPage() {
        HttpResponse<byte[]> r = http.get("/portal/no-such-page.html");

        assertEquals(404, r.statusCode(), Http.text(r));
        assertNoContainerPage(r);
        assertSecurityHeaders(r);
    }

    @Test
    void postToTheContainersFormLoginPathIsNoHtml403() {
        HttpResponse<byte[]> r = http.sendBytes("POST", "/portal/j_security_check", "application/x-www-form-urlencoded",
                "j_username=admin&j_password=wrong".getBytes(StandardCharsets.UTF_8), new String[0]);

        assertNotEquals(500, r.statusCode(), Http.text(r));
        assertNoContainerPage(r);
        assertSecurityHeaders(r);
    }

    @Test
    void loginPageAnswersAWrongPasswordWithItsOwnPageNotA403() {
        PortalSession session = new PortalSession();

        HttpResponse<String> r = session.signIn("admin", "not-the-password-123");

        assertNotEquals(403, r.statusCode(), r.body());
        assertNoContainerPage(r.statusCode(), r.body());
    }

    @Test
    void traceIsRefusedAsJsonAndNotOffered() {
        String[] admin = ItAccounts.admin(http);
        for (String path : List.of("/portal/api/v1/account", "/portal/login.xhtml", "/metadata/timestamp.json")) {
            HttpResponse<byte[]> options = http.send("OPTIONS", path, admin);
            HttpResponse<byte[]> trace = http.send("TRACE", path, admin);

            String allow = options.headers().firstValue("Allow").orElse("");
            assertFalse(allow.contains("TRACE"), path + " offers TRACE: " + options.headers().map());
            if (path.endsWith(".xhtml")) {
                // Liberty refuses TRACE to a servlet without its own doTrace before any filter runs
                // (403 "Default implementation of TRACE not allowed"): never an echo, not yet JSON.
                assertEquals(403, trace.statusCode(), Http.text(trace));
                assertFalse(Http.text(trace).contains("Authorization"), Http.text(trace));
                assertFalse(Http.text(trace).contains("\tat ") || Http.text(trace).contains("Exception"), Http.text(trace));
            } else {
                assertJsonError(trace, 405);
            }
        }
    }

    @Test
    void redirectToHttpsNeverCopiesTheHostHeader() throws IOException {
        String response = raw("GET /portal/login.xhtml HTTP/1.1\r\nHost: attacker.example\r\n"
                + "X-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 302"), response);
        assertFalse(response.toLowerCase().contains("attacker.example"), response);
        assertTrue(response.contains("Location: https://127.0.0.1:" + System.getProperty("ota.it.https.port")
                + "/portal/login.xhtml"), response);
    }

    @Test
    void sessionRedirectsNeverCopyTheHostHeader() throws IOException {
        String response = raw("GET /portal/app/status.xhtml HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");

        assertTrue(response.startsWith("HTTP/1.1 302"), response);
        assertFalse(response.toLowerCase().contains("attacker.example"), response);
    }

    @Test
    void aRefusalAfterADatabaseReadIsNotLoggedAsAnError() throws IOException {
        String[] admin = ItAccounts.admin(http);
        Path log = Path.of(System.getProperty("wlp.home"), "usr", "servers", "ota-it", "logs", "messages.log");
        long before = Files.size(log);

        HttpResponse<byte[]> duplicate = http.postJson("/portal/api/v1/accounts",
                "{\"username\":\"admin\",\"roles\":[\"auditor\"]}", admin);
        HttpResponse<byte[]> missing = http.send("DELETE", "/portal/api/v1/tokens/987654321", admin);

        assertEquals(409, duplicate.statusCode(), Http.text(duplicate));
        assertEquals(404, missing.statusCode(), Http.text(missing));
        String added = tail(log, before);
        assertFalse(added.contains("WLTC0017E"), added);
    }

    @Test
    void openApiListsTheHttpsServerFirst() {
        HttpResponse<byte[]> r = http.get(ManagementApiDescriptionIT.DESCRIPTION + "?format=JSON");

        String body = Http.text(r);
        int https = body.indexOf("\"https://");
        int plain = body.indexOf("\"http://");
        assertTrue(plain < 0 || (https >= 0 && https < plain), body.substring(0, Math.min(body.length(), 800)));
    }

    @Test
    void validityDaysAsAStringIsABadRequestNamingTheField() {
        assertRefusedNaming("{\"label\":\"x\",\"validityDays\":\"5\"}", "validityDays");
    }

    @Test
    void validityDaysAsAFractionIsABadRequestNamingTheField() {
        assertRefusedNaming("{\"label\":\"x\",\"validityDays\":1.5}", "validityDays");
    }

    @Test
    void trailingGarbageAfterTheJsonBodyIsABadRequest() {
        assertRefusedNaming("{\"label\":\"x\",\"validityDays\":5} garbage", "garbage");
    }

    @Test
    void labelAsANumberIsABadRequestNamingTheField() {
        assertRefusedNaming("{\"label\":5}", "label");
    }

    @Test
    void rolesAsAStringIsABadRequestNamingTheField() {
        HttpResponse<byte[]> r = http.postJson("/portal/api/v1/accounts", "{\"username\":\"strict-json\",\"roles\":\"auditor\"}",
                ItAccounts.admin(http));

        assertJsonError(r, 400);
        assertTrue(Http.text(r).contains("roles"), Http.text(r));
    }

    private void assertRefusedNaming(String json, String field) {
        String[] admin = ItAccounts.admin(http);
        int tokensBefore = http.get("/portal/api/v1/tokens", admin).body().length;

        HttpResponse<byte[]> r = http.postJson("/portal/api/v1/tokens", json, admin);

        assertJsonError(r, 400);
        assertTrue(Http.text(r).contains(field), Http.text(r));
        assertEquals(tokensBefore, http.get("/portal/api/v1/tokens", admin).body().length, "no token was issued");
    }

    private static String tail(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
    }

    private static String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(System.getProperty("ota.it.http.port", "9180")))) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    static void assertJsonError(HttpResponse<byte[]> r, int status) {
        String body = Http.text(r);
        String where = r.request().method() + " " + r.uri() + " -> " + r.statusCode() + " " + r.headers().map() + " " + body;
        assertEquals(status, r.statusCode(), where);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), where);
        JsonValue.JsonObject parsed = (JsonValue.JsonObject) Json.parse(r.body(), "error body");
        assertTrue(parsed.has("code") && parsed.has("message"), where);
        assertNoContainerPage(r);
    }

    static void assertNoContainerPage(HttpResponse<byte[]> r) {
        assertNoContainerPage(r.statusCode(), Http.text(r));
    }

    static void assertNoContainerPage(int status, String body) {
        for (String leak : List.of("Exception:", "Exception thrown", "\tat ", "at com.ibm", "SRVE", "CWWWC", "Error 40", "Error 50")) {
            assertFalse(body.contains(leak), status + " leaks '" + leak + "': " + body);
        }
    }

    static void assertSecurityHeaders(HttpResponse<byte[]> r) {
        String where = r.statusCode() + " " + r.headers().map();
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), where);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), where);
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null), where);
        assertEquals(1, r.headers().allValues("Content-Security-Policy").size(), where);
    }
}
