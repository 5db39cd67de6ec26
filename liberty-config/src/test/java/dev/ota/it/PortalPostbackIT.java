package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Portal form posts as a client that does not run the page's script sends them. In PrimeFaces' CSP
 * mode the page's script adds the page's nonce to every form; PrimeFaces itself compares it only
 * when it renders the answer, after the action ran: an upload without it was published and then
 * answered with a 500. The portal must refuse such a post before any action runs.
 */
@ExtendWith(ArquillianExtension.class)
class PortalPostbackIT {
    private static final String RELEASES_PAGE = "/portal/app/releases.xhtml";
    private static final String ACCOUNTS_PAGE = "/portal/app/accounts.xhtml";
    private static final String STATUS_PAGE = "/portal/app/status.xhtml";
    private final Http http = new Http();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void uploadPostedWithoutThePagesNonceIsRefusedBeforeTheReleaseIsStored() {
        // Arrange
        PortalSession person = signedInAdministrator();
        String path = "firmware/postback/no-nonce-" + System.nanoTime() + ".bin";

        // Act
        HttpResponse<String> refused = upload(person, path, PortalSession.Nonce.NONE);

        // Assert
        assertRefusedWithoutServerError(refused);
        assertNotStored(path);
    }

    @Test
    void uploadPostedWithAnotherPagesNonceIsRefusedBeforeTheReleaseIsStored() {
        // Arrange
        PortalSession person = signedInAdministrator();
        String path = "firmware/postback/foreign-nonce-" + System.nanoTime() + ".bin";

        // Act
        HttpResponse<String> refused = upload(person, path, PortalSession.Nonce.FOREIGN);

        // Assert
        assertRefusedWithoutServerError(refused);
        assertNotStored(path);
    }

    @Test
    void uploadPostedWithThePagesNonceIsPublished() {
        // Arrange: the same post as above, as a browser sends it (proves the refusals are about the nonce).
        PortalSession person = signedInAdministrator();
        String path = "firmware/postback/page-nonce-" + System.nanoTime() + ".bin";

        // Act
        HttpResponse<String> published = upload(person, path, PortalSession.Nonce.PAGE);

        // Assert
        assertEquals(200, published.statusCode(), published.body());
        assertTrue(published.body().contains("Published " + path), published.body());
        assertEquals(409, apiUpload(path).statusCode(), "the path is listed now");
    }

    @Test
    void signInPostedWithoutTheNonceIsRefusedAndOpensNoSession() {
        // Arrange
        ItAccounts.admin(http);
        PortalSession anonymous = new PortalSession();

        // Act
        HttpResponse<String> refused = anonymous.submit("/portal/login.xhtml", "loginForm", Map.of(
                "loginForm:username", ItAccounts.ADMIN, "loginForm:password", ItAccounts.ADMIN_PASSWORD,
                "loginForm:signIn", ""), PortalSession.Nonce.NONE);

        // Assert
        assertRefusedWithoutServerError(refused);
        assertEquals(302, anonymous.get("/portal/app/status.xhtml").statusCode(), "still not signed in");
    }

    @Test
    void createAccountFormPostedByAReleaseManagerIsRefusedAuditedAndCreatesNothing() {
        // Arrange: a signed-in release manager, who may open the tokens page but not the accounts page.
        String user = "postback-rm-" + System.nanoTime() % 100000;
        String password = ItAccounts.createWithPassword(http, user, "release-manager");
        PortalSession person = new PortalSession();
        assertEquals(302, person.signIn(user, password).statusCode());
        String wanted = "forged-" + System.nanoTime() % 100000;

        // Act: the page, then its create form forged with the view state and nonce of a page the person may open.
        int page = person.get(ACCOUNTS_PAGE).statusCode();
        HttpResponse<String> posted = person.submit("/portal/app/tokens.xhtml", ACCOUNTS_PAGE, "createForm", Map.of(
                "createForm:username", wanted, "createForm:roles", "administrator", "createForm:create", ""),
                PortalSession.Nonce.PAGE);

        // Assert: both refused and audited as the person's; the account does not exist (its name is still free).
        assertEquals(403, page);
        assertEquals(403, posted.statusCode(), posted.body());
        List<ItAudit.Entry> audit = ItAudit.byActor(http, user);
        assertTrue(audit.stream().anyMatch(e -> e.actor().equals(user) && e.action().equals("auth.forbidden")
                && e.outcome().equals("DENIED") && e.subject().equals("POST " + ACCOUNTS_PAGE)), audit.toString());
        assertTrue(audit.stream().anyMatch(e -> e.actor().equals(user) && e.action().equals("auth.forbidden")
                && e.subject().equals("GET " + ACCOUNTS_PAGE)), audit.toString());
        assertEquals(List.of(), ItAudit.of(http, "account.create", wanted), "no account created");
        ItAccounts.createAccount(http, ItAccounts.admin(http), wanted, "auditor");
    }

    @Test
    void rolesChangedOrPasswordResetInTheAccountsPageEndThePersonsPortalSession() {
        // Arrange: an auditor signed in to the portal, and an administrator on the accounts page.
        String user = "postback-roles-" + System.nanoTime() % 100000;
        String password = ItAccounts.createWithPassword(http, user, "auditor");
        PortalSession person = new PortalSession();
        assertEquals(302, person.signIn(user, password).statusCode());
        assertEquals(200, person.get(STATUS_PAGE).statusCode());
        PortalSession admin = signedInAdministrator();

        // Act
        HttpResponse<String> changed = admin.submit(ACCOUNTS_PAGE, "rolesForm", Map.of("rolesForm:account", user,
                "rolesForm:roles", "release-manager", "rolesForm:change", ""));

        // Assert: the new roles hold, and the session begun under the old ones has ended.
        assertEquals(200, changed.statusCode(), changed.body());
        assertTrue(changed.body().contains("Changed the roles of " + user), changed.body());
        assertEquals(302, person.get(STATUS_PAGE).statusCode(), "the session begun under the old roles ended");
        assertTrue(Http.text(http.get("/portal/api/v1/account", Http.basic(user, password))).contains("release-manager"));

        // Arrange: a new session (a fresh cookie jar), then the administrator resets the password from the row.
        PortalSession again = new PortalSession();
        assertEquals(302, again.signIn(user, password).statusCode());
        assertEquals(200, again.get(STATUS_PAGE).statusCode());
        Matcher row = Pattern.compile("id=\"accountsForm:table:(\\d+):name\">" + Pattern.quote(user) + "<")
                .matcher(admin.get(ACCOUNTS_PAGE).body());
        assertTrue(row.find(), "the account is listed");

        // Act
        HttpResponse<String> reset = admin.submit(ACCOUNTS_PAGE, "accountsForm",
                Map.of("accountsForm:table:" + row.group(1) + ":reset", ""));

        // Assert: a new one-time password, shown in this answer only; the old password and the session are gone.
        assertEquals(200, reset.statusCode(), reset.body());
        Matcher secret = Pattern.compile("id=\"secret\"[^>]*>([^<]+)<").matcher(reset.body());
        assertTrue(secret.find(), reset.body());
        assertTrue(reset.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        assertFalse(admin.get(ACCOUNTS_PAGE).body().contains(secret.group(1)), "shown once");
        assertEquals(302, again.get(STATUS_PAGE).statusCode(), "the session ended with the reset");
        assertEquals(401, http.get("/portal/api/v1/account", Http.basic(user, password)).statusCode());
        assertEquals(403, http.get("/portal/api/v1/account", Http.basic(user, secret.group(1))).statusCode(),
                "the one-time password must be changed first");
    }

    private PortalSession signedInAdministrator() {
        ItAccounts.admin(http);
        PortalSession person = new PortalSession();
        HttpResponse<String> signedIn = person.signIn(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);
        assertEquals(302, signedIn.statusCode(), signedIn.body());
        return person;
    }

    private static HttpResponse<String> upload(PortalSession person, String path, PortalSession.Nonce nonce) {
        return person.upload(RELEASES_PAGE, "uploadForm", Map.of("uploadForm:path", path, "uploadForm:version", "1.0",
                "uploadForm:hardwareIds", "gw-a", "uploadForm:send", ""), "uploadForm:file", new byte[] {7, 7, 7}, nonce);
    }

    private static void assertRefusedWithoutServerError(HttpResponse<String> response) {
        assertEquals(400, response.statusCode(), response.body());
        assertFalse(response.body().contains("Exception"), response.body());
    }

    /** A release that was stored would make the same path a 409 conflict for the API. */
    private void assertNotStored(String path) {
        HttpResponse<byte[]> again = apiUpload(path);
        assertEquals(201, again.statusCode(), "the refused post stored " + path + ": " + Http.text(again));
    }

    private HttpResponse<byte[]> apiUpload(String path) {
        return http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=1.0", new byte[] {7, 7, 7},
                ItAccounts.admin(http));
    }
}
