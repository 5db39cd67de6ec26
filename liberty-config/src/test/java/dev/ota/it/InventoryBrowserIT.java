package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The fleet pages (devices, a device, enrollment tokens, pending devices) in headless Chromium, from README's
 * address, as an administrator and as an auditor: each page works (no console error, no CSP violation,
 * PrimeFaces ran), the administrator makes and revokes a token whose text is shown once, and the auditor sees
 * the same lists without any change button.
 */
@ExtendWith(ArquillianExtension.class)
class InventoryBrowserIT {
    private static final Duration WAIT = PortalBrowserIT.WAIT;
    private final Http http = new Http();
    private final String base = "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543");
    private WebDriver driver;

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @BeforeEach
    void startBrowser() {
        driver = PortalBrowserIT.newBrowser();
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void administratorFiltersDevicesAndMakesAndRevokesAnEnrollmentTokenShownOnce() {
        // Arrange
        ItAccounts.admin(http);
        PortalBrowserIT.LoginPage.at(driver, base + "/portal/").signIn(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);

        // Act: the device list from the menu, a filter applied and counted.
        driver.findElement(By.linkText("Devices")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/devices"));
        assertPageWorks();
        driver.findElement(By.cssSelector("[id$='hardwareId']")).sendKeys("no-such-hardware");
        driver.findElement(By.cssSelector("[id$='apply']")).click();
        BrowserWait.of(driver, WAIT).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "return PrimeFaces.ajax.Queue.isEmpty()")));
        driver.findElement(By.cssSelector("[id$=':count']")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("[id$='countShown']"), "0 devices match"));

        // Assert
        assertTrue(driver.findElement(By.id("devicesForm:devices")).getText().contains("No device matches."));
        assertPageWorks();

        // Act: a token made, then the page opened again.
        driver.get(base + "/portal/app/enrollment-tokens.xhtml");
        assertPageWorks();
        String label = "browser-" + System.nanoTime() % 100000;
        driver.findElement(By.id("tokenForm:label")).sendKeys(label);
        driver.findElement(By.id("tokenForm:hardwareIds")).sendKeys("lock-v2");
        driver.findElement(By.id("tokenForm:make")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[id$='secret']")));
        String secret = driver.findElement(By.cssSelector("[id$='secret']")).getText();
        assertPageWorks();
        driver.get(base + "/portal/app/enrollment-tokens.xhtml");

        // Assert: shown once, listed with its terms afterwards, never again as text.
        assertTrue(secret.length() >= 40, secret);
        assertFalse(driver.getPageSource().contains(secret));
        assertTrue(driver.findElement(By.id("tokensForm:tokens")).getText().contains(label));
        assertPageWorks();

        // Act: revoke the token (the last row is the newest).
        By row = By.xpath("//tr[td[normalize-space(.)='" + label + "']]");
        driver.findElement(row).findElement(By.cssSelector("[id$=':revoke']")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"),
                "revoked"));

        // Assert
        assertTrue(driver.findElement(row).getText().contains("REVOKED"), driver.findElement(row).getText());
        assertTrue(driver.findElement(row).findElements(By.cssSelector("[id$=':revoke']")).isEmpty());
        assertPageWorks();

        // Act + Assert: the pending list and an unknown device's page work too.
        driver.get(base + "/portal/app/pending-devices.xhtml");
        assertTrue(driver.findElement(By.id("pendingForm:pending")).isDisplayed());
        assertPageWorks();
        driver.get(base + "/portal/app/device.xhtml?id=no-such-device");
        assertTrue(driver.findElement(By.id("messages")).getText().contains("no device no-such-device"));
        assertPageWorks();
    }

    @Test
    void auditorSeesTheFleetPagesWithoutAnyChangeButton() {
        // Arrange
        String name = "browser-fleet-auditor-" + System.nanoTime() % 100000;
        String password = ItAccounts.createWithPassword(http, name, "auditor");
        PortalBrowserIT.LoginPage.at(driver, base + "/portal/").signIn(name, password);

        // Act + Assert
        driver.get(base + "/portal/app/devices.xhtml");
        assertTrue(driver.findElement(By.id("devicesForm:devices")).isDisplayed());
        assertPageWorks();
        driver.get(base + "/portal/app/enrollment-tokens.xhtml");
        assertTrue(driver.findElement(By.id("tokensForm:tokens")).isDisplayed());
        assertTrue(driver.findElements(By.id("tokenForm")).isEmpty(), "no form to make a token");
        assertTrue(driver.findElements(By.cssSelector("[id$=':revoke']")).isEmpty(), "no revoke button");
        assertPageWorks();
        driver.get(base + "/portal/app/pending-devices.xhtml");
        assertTrue(driver.findElements(By.cssSelector("[id$=':accept'], [id$=':reject']")).isEmpty());
        assertPageWorks();
    }

    @Test
    void releaseManagerAssignsAListedReleaseOnARealDevicesPageAndCancelsIt() {
        // Arrange: a device that enrolled and checked in, a release for its hardware, a release manager.
        String[] admin = ItAccounts.admin(http);
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        // A product line of its own: release counters only rise per hardware id, and other ITs upload here too.
        String hardware = "lock-page-" + run;
        String path = "lock-fw/page-" + run + "-1.5.0.bin";
        ItFleet.upload(http, admin, path, hardware, 50, ("firmware " + run).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        TestDevice device = ItFleet.enrolled(http, admin, "page-lock-" + run, hardware);
        assertEquals(200, device.checkin(http).statusCode());
        String name = "browser-rm-" + run;
        String password = ItAccounts.createWithPassword(http, name, "release-manager");
        PortalBrowserIT.LoginPage.at(driver, base + "/portal/").signIn(name, password);

        // Act: from the menu to the device list, filtered by its hardware, then its link; the release chosen
        // from those listed for its hardware, assigned.
        driver.findElement(By.linkText("Devices")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/devices"));
        driver.findElement(By.cssSelector("[id$='hardwareId']")).sendKeys(hardware);
        driver.findElement(By.cssSelector("[id$='apply']")).click();
        // The filter re-renders the table by ajax: a link found before that is gone afterwards.
        BrowserWait.of(driver, WAIT).until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "return PrimeFaces.ajax.Queue.isEmpty()")));
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("devicesForm:devices"), device.id));
        driver.findElement(By.linkText(device.id)).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/device.xhtml"));
        assertTrue(driver.findElement(By.id("ordersForm:orderHistory")).getText().contains("No order yet."));
        assertTrue(driver.findElements(By.id("editForm")).isEmpty(), "tags and attributes are for administrators");
        assertPageWorks();
        new Select(driver.findElement(By.id("ordersForm:targetPath"))).selectByVisibleText(path);
        driver.findElement(By.id("ordersForm:assign")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Ordered"));

        // Assert: the order is in force and the device's next check-in hears of it.
        String history = driver.findElement(By.id("ordersForm:orderHistory")).getText();
        assertTrue(history.contains(path) && history.contains(name), history);
        assertPageWorks();
        assertTrue(Http.text(device.checkin(http)).contains("\"timestampVersion\":"), "the check-in answer names the director");

        // Act + Assert: cancelled from the page, the newest order is none.
        driver.findElement(By.id("ordersForm:cancelOrder")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "cancelled"));
        String afterCancel = driver.findElement(By.cssSelector("[id='ordersForm:orderHistory'] tbody tr")).getText();
        assertTrue(afterCancel.contains("none (cancelled)"), afterCancel);
        assertPageWorks();
        for (String action : new String[] {"assignment.create", "assignment.cancel"}) {
            assertTrue(ItAudit.has(http, action, e -> e.actor().equals(name)
                    && e.subject().equals(device.id) && e.outcome().equals("SUCCESS")), action + " audited");
        }
    }

    @Test
    void administratorSetsSeesAndClearsADesiredConfigurationAndAnAuditorSeesItWithoutControls() {
        // Arrange: an accepted device, signed in as an administrator on its page.
        String[] admin = ItAccounts.admin(http);
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        TestDevice device = ItFleet.enrolled(http, admin, "desired-page-" + run, "lock-desired-" + run);
        PortalBrowserIT.LoginPage.at(driver, base + "/portal/").signIn(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);
        driver.get(base + "/portal/app/device.xhtml?id=" + device.id);
        assertEquals("none set", driver.findElement(By.id("desiredForm:desiredTarget")).getText());
        assertFalse(driver.findElement(By.id("desiredForm:clearDesired")).isEnabled(), "nothing to clear yet");
        assertPageWorks();

        // Act: a malformed line first, then two properties.
        driver.findElement(By.id("desiredForm:desiredText")).sendKeys("wifi.ssid=lobby\njust a word");
        driver.findElement(By.id("desiredForm:setDesired")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "line 2"));

        // Assert: refused, nothing set, and the refusal audited.
        assertEquals("none set", driver.findElement(By.id("desiredForm:desiredTarget")).getText());
        assertTrue(ItAudit.has(http, "desired-config.set", e -> e.subject().equals(device.id)
                && e.outcome().equals("DENIED")), "the malformed line's refusal is audited");
        assertPageWorks();

        // Act
        driver.findElement(By.id("desiredForm:desiredText")).clear();
        driver.findElement(By.id("desiredForm:desiredText")).sendKeys("wifi.ssid=lobby\nname=front door");
        driver.findElement(By.id("desiredForm:setDesired")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"),
                "Desired configuration set"));

        // Assert: the director target and its hash shown, the properties back in the field, and in the API.
        assertEquals("config/" + device.id + ".json", driver.findElement(By.id("desiredForm:desiredTarget")).getText());
        String sha = driver.findElement(By.id("desiredForm:desiredSha")).getText();
        assertTrue(sha.matches("[0-9a-f]{64}"), sha);
        String field = driver.findElement(By.id("desiredForm:desiredText")).getAttribute("value");
        assertTrue(field.contains("name=front door") && field.contains("wifi.ssid=lobby"), field);
        String api = Http.text(http.get("/portal/api/v1/devices/" + device.id + "/desired-config", admin));
        assertTrue(api.contains(sha) && api.contains("\"front door\""), api);
        assertPageWorks();

        // Act + Assert: an auditor sees the same panel, without a field or a button.
        String name = "browser-desired-auditor-" + run;
        String password = ItAccounts.createWithPassword(http, name, "auditor");
        WebDriver auditor = PortalBrowserIT.newBrowser();
        try {
            PortalBrowserIT.LoginPage.at(auditor, base + "/portal/").signIn(name, password);
            auditor.get(base + "/portal/app/device.xhtml?id=" + device.id);
            assertEquals(sha, auditor.findElement(By.id("desiredForm:desiredSha")).getText());
            assertTrue(auditor.findElements(By.id("desiredForm:desiredControls")).isEmpty(), "no controls for an auditor");
            assertTrue(auditor.findElements(By.cssSelector("[id$='setDesired'], [id$='clearDesired'], [id$='desiredText']"))
                    .isEmpty());
            PortalBrowserIT.assertPageWorks(auditor);
        } finally {
            auditor.quit();
        }

        // Act: cleared by the administrator.
        driver.findElement(By.id("desiredForm:clearDesired")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"),
                "Desired configuration cleared"));

        // Assert
        assertEquals("none set", driver.findElement(By.id("desiredForm:desiredTarget")).getText());
        assertEquals(404, http.get("/portal/api/v1/devices/" + device.id + "/desired-config", admin).statusCode());
        for (String action : new String[] {"desired-config.set", "desired-config.clear"}) {
            assertTrue(ItAudit.has(http, action, e -> e.actor().equals(ItAccounts.ADMIN)
                    && e.subject().equals(device.id) && e.outcome().equals("SUCCESS")), action + " audited");
        }
        assertPageWorks();
    }

    private void assertPageWorks() {
        PortalBrowserIT.assertPageWorks(driver);
    }
}
