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

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
