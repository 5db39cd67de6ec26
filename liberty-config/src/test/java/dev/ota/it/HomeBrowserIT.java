package dev.ota.it;

import static dev.ota.it.PortalBrowserIT.assertPageWorks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.it.PortalBrowserIT.LoginPage;
import java.io.File;
import java.net.http.HttpResponse;
import java.util.List;
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
import org.openqa.selenium.WebElement;

/**
 * The home page the portal lands on after sign-in, per role, in headless Chromium: a release manager sees the
 * fleet's pending devices and a rollout awaiting approval among what needs attention, with the charts; a
 * security officer sees the metadata and the online keys, and no fleet. Every page passes
 * {@link PortalBrowserIT#assertPageWorks}: the SVG charts need no script and break no Content-Security-Policy.
 */
@ExtendWith(ArquillianExtension.class)
class HomeBrowserIT {
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
    void releaseManagerLandsOnHomeWithThePendingDevicesARolloutAwaitingApprovalAndTheCharts() throws Exception {
        // Arrange: a device waiting for acceptance, and a rollout submitted for approval.
        String[] admin = ItAccounts.admin(http);
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        String hardware = "home-hw-" + run;
        HttpResponse<byte[]> token = http.postJson("/portal/api/v1/enrollment-tokens", "{\"hardwareIds\":[\"" + hardware
                + "\"],\"maxUses\":1,\"validityHours\":24,\"autoAccept\":false}", admin);
        assertEquals(201, token.statusCode(), Http.text(token));
        HttpResponse<byte[]> enrolled = new TestDevice("home-pending-" + run, hardware).enroll(http,
                ItFleet.string(token, "token"));
        assertTrue(enrolled.statusCode() / 100 == 2, Http.text(enrolled));
        String name = "home-rm-" + run;
        String password = ItAccounts.createWithPassword(http, name, "release-manager");
        String[] rm = Http.basic(name, password);
        HttpResponse<byte[]> created = http.postJson("/portal/api/v1/rollouts", "{\"name\":\"home " + run
                + "\",\"targetPath\":\"lock-fw/home-" + run + ".bin\",\"filter\":{\"hardwareId\":\"" + hardware + "\"}}", rm);
        assertEquals(201, created.statusCode(), Http.text(created));
        String id = ItFleet.string(created, "id");
        assertEquals(200, http.send("POST", "/portal/api/v1/rollouts/" + id + "/submit", rm).statusCode());

        // Act
        LoginPage.at(driver, base + "/portal/").signIn(name, password);

        // Assert: the home page, what needs attention with links where it is handled, and three charts.
        assertTrue(driver.getCurrentUrl().endsWith("/portal/app/home.xhtml"), driver.getCurrentUrl());
        List<String> items = attention();
        assertTrue(items.stream().anyMatch(t -> t.matches("\\d+ devices? waits? to be accepted or rejected")), items.toString());
        assertTrue(items.contains("Rollout 'home " + run + "' (lock-fw/home-" + run + ".bin) awaits approval by someone"
                + " other than " + name), items.toString());
        assertEquals("/portal/app/pending-devices.xhtml", new java.net.URI(linkOf("devices")).getPath());
        assertEquals(3, driver.findElements(By.cssSelector("svg.bar-chart")).size(), "expiry, devices, rollouts");
        List<String> deviceBars = chartLabels(1);
        assertEquals(List.of("pending", "accepted", "rejected", "decommissioned"), deviceBars);
        assertTrue(chartLabels(2).contains("awaiting approval"), chartLabels(2).toString());
        assertTrue(driver.findElements(By.id("keys")).isEmpty(), "no keys panel for a release manager");
        assertPageWorks(driver);
    }

    @Test
    void securityOfficerLandsOnHomeWithMetadataExpiryAndTheOnlineKeysButNoFleet() {
        // Arrange
        String name = "home-so-" + Long.toString(System.nanoTime() % 1_000_000, 36);
        String password = ItAccounts.createWithPassword(http, name, "security-officer");

        // Act
        LoginPage.at(driver, base + "/portal/").signIn(name, password);

        // Assert
        assertTrue(driver.getCurrentUrl().endsWith("/portal/app/home.xhtml"), driver.getCurrentUrl());
        assertEquals(1, driver.findElements(By.cssSelector("svg.bar-chart")).size(), "the expiry chart only");
        assertEquals(List.of("root", "targets", "snapshot", "timestamp", "releases-*"), chartLabels(0));
        assertTrue(driver.findElements(By.id("fleet")).isEmpty(), "no fleet panel for a security officer");
        String keys = driver.findElement(By.cssSelector("[id$='keysSummary']")).getText();
        assertTrue(keys.matches("\\d+ online keys in service; the oldest was created .* ago"), keys);
        assertFalse(driver.findElements(By.id("menu")).isEmpty());
        assertPageWorks(driver);
    }

    private List<String> attention() {
        return driver.findElements(By.cssSelector("#items li")).stream().map(WebElement::getText).map(String::strip)
                .toList();
    }

    private String linkOf(String kind) {
        return driver.findElement(By.cssSelector("#items li.attention-" + kind + " a")).getAttribute("href");
    }

    /** The labels of the n-th chart's bars (the first text of each bar). */
    private List<String> chartLabels(int chart) {
        WebElement svg = driver.findElements(By.cssSelector("svg.bar-chart")).get(chart);
        List<WebElement> texts = svg.findElements(By.cssSelector("text"));
        java.util.List<String> labels = new java.util.ArrayList<>();
        for (int i = 0; i < texts.size(); i += 2) {
            labels.add(texts.get(i).getText());
        }
        return labels;
    }
}
