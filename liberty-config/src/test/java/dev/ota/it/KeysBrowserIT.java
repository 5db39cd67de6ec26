package dev.ota.it;

import static dev.ota.it.PortalBrowserIT.WAIT;
import static dev.ota.it.PortalBrowserIT.assertPageWorks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.it.PortalBrowserIT.LoginPage;
import java.io.File;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The keys page in headless Chromium: a security officer rotates an online key with its button and sees the old
 * key retired; an auditor reads the same list without any button, and a rotation the auditor's browser forces
 * through the management API is refused (403) and audited. Runs on the it-keys server: it rotates a key.
 */
@ExtendWith(ArquillianExtension.class)
class KeysBrowserIT {
    private final Http http = new Http();
    private final String base = "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543");
    private WebDriver driver;

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @BeforeEach
    void startBrowser() {
        Assumptions.assumeTrue(Boolean.getBoolean("ota.it.keys.server"), "runs in the failsafe execution it-keys");
        driver = PortalBrowserIT.newBrowser();
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void securityOfficerRotatesTheImageTimestampKeyWithItsButtonAndSeesTheOldKeyRetired() {
        // Arrange
        String name = "keys-so-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        String password = ItAccounts.createWithPassword(http, name, "security-officer");
        LoginPage.at(driver, base + "/portal/").signIn(name, password);
        KeysPage page = KeysPage.fromMenu(driver);
        assertPageWorks(driver);
        WebElement row = page.activeRow("image", "timestamp");
        String oldKey = page.keyId(row);

        // Act
        WebElement rotate = row.findElement(By.cssSelector("[id$=':rotate']"));
        rotate.click();
        BrowserWait.of(driver, WAIT).until(PortalBrowserIT.replaced(rotate));

        // Assert: the outcome said, the old key retired by this officer, a new one in service.
        String messages = driver.findElement(By.id("messages")).getText();
        assertTrue(messages.contains("Rotated the image timestamp key " + oldKey.substring(0, 16)), messages);
        KeysPage after = new KeysPage(driver);
        WebElement retired = after.row(oldKey);
        assertEquals("RETIRED", after.cell(retired, 7));
        assertTrue(after.cell(retired, 8).contains("by " + name), after.cell(retired, 8));
        String newKey = after.keyId(after.activeRow("image", "timestamp"));
        assertTrue(!newKey.equals(oldKey), "a new timestamp key is in service");
        assertTrue(after.hasRevokeForm());
        assertPageWorks(driver);
    }

    @Test
    void auditorReadsTheKeysWithoutButtonsAndARotationForcedFromTheBrowserIsRefusedAndAudited() {
        // Arrange
        String name = "keys-auditor-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        String password = ItAccounts.createWithPassword(http, name, "auditor");
        LoginPage.at(driver, base + "/portal/").signIn(name, password);
        KeysPage page = KeysPage.fromMenu(driver);

        // Assert: the keys with their age, algorithm and holder, and no control to change them.
        WebElement row = page.activeRow("image", "snapshot");
        assertEquals("ed25519", page.cell(row, 3));
        assertTrue(page.cell(row, 6).contains("keystore"), page.cell(row, 6));
        assertTrue(driver.findElements(By.cssSelector("[id$=':rotate']")).isEmpty(), "no rotate buttons");
        assertTrue(!page.hasRevokeForm(), "no revoke form");
        assertPageWorks(driver);

        // Act: the browser forces a rotation through the management API with the auditor's own credentials.
        String keyId = page.keyId(row);
        String header = Http.basic(name, password)[1];
        Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/portal/api/v1/keys/image/snapshot/' + arguments[0] + '/rotate',"
                        + " {method: 'POST', headers: {'Authorization': arguments[1]}})"
                        + ".then(r => done(r.status), e => done(String(e)));", keyId, header);

        // Assert: refused, recorded, and the key still in service.
        assertEquals(403L, status);
        assertTrue(ItAudit.has(http, "auth.forbidden", e -> e.actor().equals(name)
                && e.subject().contains("/keys/image/snapshot/" + keyId)), "the forced rotation is audited");
        driver.navigate().refresh();
        assertEquals(keyId, new KeysPage(driver).keyId(new KeysPage(driver).activeRow("image", "snapshot")));
    }

    /** app/keys.xhtml */
    static final class KeysPage {
        private final WebDriver driver;

        KeysPage(WebDriver driver) {
            this.driver = driver;
        }

        static KeysPage fromMenu(WebDriver driver) {
            driver.findElement(By.linkText("Keys")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/keys"));
            return new KeysPage(driver);
        }

        List<WebElement> rows() {
            return driver.findElements(By.cssSelector("[id$='table_data'] tr"));
        }

        /** Column {@code i} (0: repository, 1: role, 2: key id, 3: algorithm, 6: holder, 7: status, 8: notes). */
        String cell(WebElement row, int i) {
            return row.findElements(By.tagName("td")).get(i).getText().strip();
        }

        String keyId(WebElement row) {
            return cell(row, 2);
        }

        WebElement activeRow(String repository, String role) {
            return rows().stream().filter(r -> cell(r, 0).equals(repository) && cell(r, 1).equals(role)
                    && cell(r, 7).equals("ACTIVE")).findFirst()
                    .orElseThrow(() -> new AssertionError("no active " + repository + " " + role + " key listed"));
        }

        WebElement row(String keyId) {
            return rows().stream().filter(r -> keyId(r).equals(keyId)).findFirst()
                    .orElseThrow(() -> new AssertionError("key " + keyId + " is not listed"));
        }

        boolean hasRevokeForm() {
            return !driver.findElements(By.id("revokeForm")).isEmpty();
        }
    }
}
