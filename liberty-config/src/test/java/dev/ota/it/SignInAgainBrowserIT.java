package dev.ota.it;

import static dev.ota.it.PortalBrowserIT.WAIT;
import static dev.ota.it.PortalBrowserIT.assertPageWorks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.it.AccountsBrowserIT.AccountsPage;
import dev.ota.it.PortalBrowserIT.LoginPage;
import dev.ota.it.PortalBrowserIT.PasswordPage;
import dev.ota.it.PortalBrowserIT.StatusPage;
import java.io.File;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A person whose session an administrator's change ended (roles changed, password reset, account
 * disabled) is sent to the sign-in form on their next click and signs in again in the SAME browser,
 * with whatever cookies it kept from the ended session (LtpaToken2, JSESSIONID), and then keeps a
 * working session over the following clicks. So do a person who changed their own password, and one
 * who signed out. Headless Chromium, the page checks of {@link PortalBrowserIT} on every page; the
 * administrator works in a browser of their own.
 */
@ExtendWith(ArquillianExtension.class)
class SignInAgainBrowserIT {
    private static final String RELEASE_MANAGER = "release-manager";
    private final Http http = new Http();
    private final String base = "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543");
    private WebDriver administrator;
    private WebDriver person;

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @BeforeEach
    void startBrowsers() {
        ItAccounts.admin(http);
        person = PortalBrowserIT.newBrowser();
        administrator = PortalBrowserIT.newBrowser();
        LoginPage.open(administrator, base).signIn(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);
    }

    @AfterEach
    void stopBrowsers() {
        for (WebDriver d : new WebDriver[] {administrator, person}) {
            if (d != null) {
                d.quit();
            }
        }
    }

    @Test
    void personWhoseRolesChangedSignsInAgainInTheSameBrowserAndHasTheNewRoles() {
        // Arrange: a release manager at work in their browser.
        String name = unique("browser-regranted");
        String password = ItAccounts.createWithPassword(http, name, RELEASE_MANAGER);
        LoginPage.open(person, base).signIn(name, password);
        assertTrue(releasesFromMenu(person).hasUploadForm, "a release manager's releases page has the upload form");

        // Act: the administrator makes them an auditor; they click on, then sign in again.
        String changed = AccountsPage.open(administrator, base).changeRoles(name, "auditor");
        LoginPage sentBack = nextClickLandsOnSignIn(person);
        StatusPage again = sentBack.signIn(name, password);

        // Assert: signed in, with the auditor's releases page, and the session holds over further clicks.
        assertTrue(changed.contains("Changed the roles of " + name), changed);
        assertEquals(name, again.signedInAs());
        assertPageWorks(person);
        Releases releases = releasesFromMenu(person);
        assertTrue(releases.hasTable, "the auditor sees the releases");
        assertFalse(releases.hasUploadForm, "an auditor has no upload form");
        assertStaysSignedIn(person, name);
    }

    @Test
    void personWhosePasswordWasResetSignsInAgainInTheSameBrowserWithTheOneTimePassword() {
        // Arrange
        String name = unique("browser-reset");
        String password = ItAccounts.createWithPassword(http, name, RELEASE_MANAGER);
        String chosen = name + "-chosen-after-reset";
        LoginPage.open(person, base).signIn(name, password);
        releasesFromMenu(person);

        // Act: the administrator resets the password; the person clicks on and signs in with the new one.
        String oneTime = AccountsPage.open(administrator, base).resetPassword(name);
        LoginPage sentBack = nextClickLandsOnSignIn(person);
        PasswordPage form = sentBack.signInWithOneTimePassword(name, oneTime);
        assertPageWorks(person);
        boolean explainsWhy = form.explainsOneTimePassword();
        StatusPage status = form.change(oneTime, chosen, chosen);

        // Assert
        assertTrue(explainsWhy, "the form says why it is shown");
        assertEquals(name, status.signedInAs());
        assertPageWorks(person);
        assertTrue(releasesFromMenu(person).hasUploadForm);
        assertStaysSignedIn(person, name);
        assertEquals(200, http.get("/portal/api/v1/account", Http.basic(name, chosen)).statusCode());
    }

    @Test
    void personDisabledAndEnabledAgainSignsInAgainInTheSameBrowser() {
        // Arrange
        String name = unique("browser-reenabled");
        String password = ItAccounts.createWithPassword(http, name, RELEASE_MANAGER);
        LoginPage.open(person, base).signIn(name, password);
        releasesFromMenu(person);

        // Act: disabled, the person clicks on and is refused; enabled again, they sign in.
        String disabled = AccountsPage.open(administrator, base).disable(name);
        nextClickLandsOnSignIn(person).signInExpectingRefusal(name, password);
        assertPageWorks(person);
        String enabled = AccountsPage.open(administrator, base).enable(name);
        StatusPage again = LoginPage.open(person, base).signIn(name, password);

        // Assert
        assertTrue(disabled.contains("Disabled " + name), disabled);
        assertTrue(enabled.contains("Enabled " + name), enabled);
        assertEquals(name, again.signedInAs());
        assertPageWorks(person);
        assertTrue(releasesFromMenu(person).hasUploadForm);
        assertStaysSignedIn(person, name);
    }

    @Test
    void ownPasswordChangeKeepsTheSessionAndSigningOutAndInAgainWorks() {
        // Arrange
        String name = unique("browser-ownchange");
        String password = ItAccounts.createWithPassword(http, name, RELEASE_MANAGER);
        String chosen = name + "-chosen-by-themselves";
        LoginPage.open(person, base).signIn(name, password);

        // Act: the person changes their own password and carries on in the same session.
        person.findElement(By.linkText("Password")).click();
        BrowserWait.of(person, WAIT).until(ExpectedConditions.urlContains("/app/password"));
        StatusPage status = new PasswordPage(person).change(password, chosen, chosen);
        String confirmation = status.messages();

        // Assert
        assertTrue(confirmation.contains("Your password was changed."), confirmation);
        assertPageWorks(person);
        assertTrue(releasesFromMenu(person).hasUploadForm);
        assertStaysSignedIn(person, name);

        // Act: signing out, then in again in the same browser.
        new StatusPage(person).signOut();
        assertPageWorks(person);
        StatusPage again = new LoginPage(person).signIn(name, chosen);

        // Assert
        assertEquals(name, again.signedInAs());
        assertPageWorks(person);
        assertTrue(releasesFromMenu(person).hasUploadForm);
        assertStaysSignedIn(person, name);
    }

    private static String unique(String prefix) {
        return prefix + "-" + System.nanoTime() % 100000;
    }

    /** The person's next click in the open session (a menu link) shows the sign-in form. */
    private static LoginPage nextClickLandsOnSignIn(WebDriver driver) {
        driver.findElement(By.linkText("Repository")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/login.xhtml"));
        LoginPage login = new LoginPage(driver);
        assertTrue(login.isShown(), driver.getCurrentUrl());
        assertPageWorks(driver);
        return login;
    }

    /** What the releases page, reached through the menu, offers. */
    private record Releases(boolean hasTable, boolean hasUploadForm) {
    }

    private static Releases releasesFromMenu(WebDriver driver) {
        driver.findElement(By.linkText("Releases")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/releases"));
        assertPageWorks(driver);
        return new Releases(!driver.findElements(By.cssSelector("[id$='releases']")).isEmpty(),
                !driver.findElements(By.id("uploadForm")).isEmpty());
    }

    /** Two more clicks in the new session stay in it: no way back to the sign-in form. */
    private static void assertStaysSignedIn(WebDriver driver, String name) {
        driver.findElement(By.linkText("Repository")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/status"));
        assertEquals(name, new StatusPage(driver).signedInAs());
        assertPageWorks(driver);
        releasesFromMenu(driver);
        assertTrue(driver.getCurrentUrl().contains("/app/releases"), driver.getCurrentUrl());
    }
}
