package dev.ota.it;

import static dev.ota.it.PortalBrowserIT.WAIT;
import static dev.ota.it.PortalBrowserIT.assertPageWorks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.it.PortalBrowserIT.LoginPage;
import java.io.File;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The audit page in headless Chromium from README's address, with {@link PortalBrowserIT}'s checks on
 * every page (no console error, no CSP violation, PrimeFaces ran): an auditor finds a release manager's
 * refused attempts with their outcome, narrows the list to them and verifies the chain; the release
 * manager has no such page in the menu, and opening it by address is refused and recorded.
 */
@ExtendWith(ArquillianExtension.class)
class AuditBrowserIT {
    private final Http http = new Http();
    private final String base = "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543");
    private WebDriver auditor;
    private WebDriver releaseManager;

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @AfterEach
    void stopBrowsers() {
        for (WebDriver d : new WebDriver[] {auditor, releaseManager}) {
            if (d != null) {
                d.quit();
            }
        }
    }

    @Test
    void anAuditorSeesARefusedAttemptWithItsOutcomeFiltersByActorAndVerifiesTheChain() {
        // Arrange: an auditor signed in; then a release manager tried the audit API and was refused. The refusal
        // comes last, just before the page is read: the newest entries are everyone's, and the scheduler may audit
        // a burst of other work (earlier tests' rollouts after a move of the clock) while a browser starts.
        String name = "browser-auditor-" + System.nanoTime() % 100000;
        String password = ItAccounts.createWithPassword(http, name, "auditor");
        auditor = PortalBrowserIT.newBrowser();
        LoginPage.at(auditor, base + "/portal/").signIn(name, password);
        String rm = "browser-rm-" + System.nanoTime() % 100000;
        String rmPassword = ItAccounts.createWithPassword(http, rm, "release-manager");
        assertEquals(403, http.get("/portal/api/v1/audit", Http.basic(rm, rmPassword)).statusCode());

        // Act: the page from the menu, newest first.
        AuditPage page = AuditPage.fromMenu(auditor);
        assertPageWorks(auditor);
        List<String> newestActors = page.column("actor");

        // Act: only the release manager's entries.
        page.filterByActor(rm);
        assertPageWorks(auditor);
        List<String> actors = page.column("actor");
        List<String> actions = page.column("action");
        List<String> outcomes = page.column("outcome");

        // Assert
        assertTrue(newestActors.contains(rm), "the refusal is among the newest entries: " + newestActors);
        assertTrue(actors.stream().allMatch(rm::equals), actors.toString());
        int refused = actions.indexOf("auth.forbidden");
        assertEquals(0, refused, "the refusal is the release manager's newest entry: " + actions);
        assertEquals("DENIED", outcomes.get(refused));
        assertEquals("GET /portal/api/v1/audit", page.column("subject").get(refused));

        // Act
        String verified = page.verify();

        // Assert
        assertTrue(verified.contains("Hash chain intact: ") && verified.contains(" entries checked"), verified);
        assertPageWorks(auditor);
        assertTrue(ItAudit.has(http, "audit.search", e -> e.actor().equals(name)
                && e.detail().equals("actor=" + rm)), "the filtered read is recorded");
        assertTrue(ItAudit.has(http, "audit.verify", e -> e.actor().equals(name)
                && e.detail().startsWith("intact: ")), "the verification is recorded");
    }

    @Test
    void aReleaseManagerHasNoAuditLogInTheMenuAndThePageByAddressIsRefusedAndRecorded() {
        // Arrange
        String rm = "browser-rm-" + System.nanoTime() % 100000;
        String password = ItAccounts.createWithPassword(http, rm, "release-manager");
        releaseManager = PortalBrowserIT.newBrowser();
        LoginPage.at(releaseManager, base + "/portal/").signIn(rm, password);
        assertPageWorks(releaseManager);

        // Act
        boolean menuHasAudit = !releaseManager.findElements(By.linkText("Audit log")).isEmpty();
        releaseManager.get(base + "/portal/app/audit.xhtml");

        // Assert
        assertFalse(menuHasAudit, "a release manager's menu has no audit log");
        assertTrue(releaseManager.findElements(By.id("auditForm")).isEmpty(), "no audit table for this person");
        AccountsBrowserIT.assertRefusedPage(releaseManager);
        assertTrue(ItAudit.has(http, "auth.forbidden", e -> e.actor().equals(rm)
                && e.outcome().equals("DENIED") && e.subject().equals("GET /portal/app/audit.xhtml")),
                "the refused page is in the audit log");
    }

    /** app/audit.xhtml */
    static final class AuditPage {
        private final WebDriver driver;

        private AuditPage(WebDriver driver) {
            this.driver = driver;
        }

        static AuditPage fromMenu(WebDriver driver) {
            driver.findElement(By.linkText("Audit log")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/audit"));
            return new AuditPage(driver);
        }

        void filterByActor(String actor) {
            driver.findElement(By.id("auditForm:actor")).sendKeys(actor);
            WebElement table = driver.findElement(By.id("auditForm:entries"));
            driver.findElement(By.id("auditForm:apply")).click();
            BrowserWait.of(driver, WAIT).until(PortalBrowserIT.replaced(table));
            waitForAjax();
        }

        /** Verifies the chain; the messages shown afterwards. */
        String verify() {
            driver.findElement(By.id("auditForm:verify")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#messages .ui-messages-info, #messages .ui-messages-error")));
            waitForAjax();
            return driver.findElement(By.id("messages")).getText();
        }

        /** One column's cells ({@code actor}, {@code action}, {@code subject}, {@code outcome}), top to bottom. */
        List<String> column(String name) {
            return driver.findElements(By.cssSelector("#auditForm\\:entries_data [id$=':" + name + "']")).stream()
                    .map(e -> e.getText().strip()).toList();
        }

        private void waitForAjax() {
            BrowserWait.of(driver, WAIT).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                    "return PrimeFaces.ajax.Queue.isEmpty()")));
        }
    }
}
