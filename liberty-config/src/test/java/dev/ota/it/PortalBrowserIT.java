package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The portal as a person sees it, in Debian's headless Chromium: sign in, read the repository
 * status; a person with a wrong password, or without release rights, is refused what they lack; a
 * new account replaces its one-time password in the portal's form before it sees anything else.
 * Each page has a page object; every test also checks that the page raised no JavaScript error.
 */
@ExtendWith(ArquillianExtension.class)
class PortalBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private final Http http = new Http();
    private final String base = "http://127.0.0.1:" + System.getProperty("ota.it.http.port", "9180");
    private WebDriver driver;

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @BeforeEach
    void startBrowser() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium floods a closed network with connections.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void administratorSignsInAndSeesRolesVersionsAndExpiries() {
        // Arrange
        ItAccounts.admin(http);
        LoginPage login = LoginPage.open(driver, base);

        // Act
        StatusPage status = login.signIn(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);

        // Assert
        assertEquals(List.of("root", "targets", "snapshot", "timestamp", "releases-*"), status.roleNames());
        assertTrue(status.summary().startsWith("256 hash bins"), status.summary());
        assertTrue(ReleasesPage.open(driver, base).hasUploadForm());
        assertEquals(ItAccounts.ADMIN, status.signedInAs());
        assertNoJavaScriptErrors();
    }

    @Test
    void wrongPasswordIsRefusedAndProtectedPagesStayClosed() {
        // Arrange
        ItAccounts.admin(http);
        LoginPage login = LoginPage.open(driver, base);

        // Act
        login.signInExpectingRefusal(ItAccounts.ADMIN, "not-the-password");
        String shown = login.errorText();
        driver.get(base + "/portal/app/status.xhtml");

        // Assert
        assertTrue(shown.contains("The user name or password is not correct."), shown);
        assertTrue(driver.getCurrentUrl().endsWith("/portal/login.xhtml"), driver.getCurrentUrl());
        assertNoJavaScriptErrors();
    }

    @Test
    void auditorSeesReleasesButNoUploadForm() {
        // Arrange
        String name = "browser-auditor-" + System.nanoTime() % 100000;
        String password = ItAccounts.createWithPassword(http, name, "auditor");

        // Act
        LoginPage.open(driver, base).signIn(name, password);
        ReleasesPage releases = ReleasesPage.open(driver, base);

        // Assert
        assertTrue(releases.hasReleaseTable());
        assertFalse(releases.hasUploadForm());
        assertNoJavaScriptErrors();
    }

    @Test
    void oneTimePasswordMustBeReplacedInThePortalFormBeforeAnyOtherPage() {
        // Arrange: a new account, as an administrator creates it, with its one-time password.
        String name = "browser-newcomer-" + System.nanoTime() % 100000;
        String oneTime = ItAccounts.createAccount(http, ItAccounts.admin(http), name, "release-manager");
        String chosen = name + "-chosen-password";

        // Act: first sign-in, then try to go elsewhere.
        PasswordPage form = LoginPage.open(driver, base).signInWithOneTimePassword(name, oneTime);
        boolean explainsWhy = form.explainsOneTimePassword();
        String statusRedirect = urlAfterOpening(base + "/portal/app/status.xhtml");
        String releasesRedirect = urlAfterOpening(base + "/portal/app/releases.xhtml");

        // Assert: the form is the only page.
        assertTrue(explainsWhy, "the form says why it is shown");
        assertTrue(statusRedirect.endsWith("/portal/app/password.xhtml"), statusRedirect);
        assertTrue(releasesRedirect.endsWith("/portal/app/password.xhtml"), releasesRedirect);

        // Act: a wrong current password, a too-short new one, a repetition that differs.
        String wrongCurrent = PasswordPage.open(driver, base)
                .changeExpectingRefusal("not-the-password", chosen, chosen);
        String tooWeak = PasswordPage.open(driver, base).changeExpectingRefusal(oneTime, "short", "short");
        String differs = PasswordPage.open(driver, base).changeExpectingRefusal(oneTime, chosen, chosen + "x");

        // Assert: each refused with its reason, and the form still forced.
        assertTrue(wrongCurrent.contains("The current password is not correct."), wrongCurrent);
        assertTrue(tooWeak.contains("at least 12 characters"), tooWeak);
        assertTrue(differs.contains("differ"), differs);
        assertTrue(urlAfterOpening(base + "/portal/app/status.xhtml").endsWith("/portal/app/password.xhtml"));

        // Act: the change, then signing out and in again with the new password.
        StatusPage status = PasswordPage.open(driver, base).change(oneTime, chosen, chosen);
        String confirmation = status.messages();
        status.signOut();
        StatusPage again = LoginPage.open(driver, base).signIn(name, chosen);

        // Assert: the status page, then a normal session; the one-time password is gone.
        assertTrue(confirmation.contains("Your password was changed."), confirmation);
        assertEquals(name, again.signedInAs());
        assertEquals(200, http.get("/portal/api/v1/account", Http.basic(name, chosen)).statusCode());
        assertEquals(401, http.get("/portal/api/v1/account", Http.basic(name, oneTime)).statusCode());
        assertNoJavaScriptErrors();
    }

    private String urlAfterOpening(String url) {
        driver.get(url);
        return driver.getCurrentUrl();
    }

    private void assertNoJavaScriptErrors() {
        List<LogEntry> severe = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertTrue(severe.isEmpty(), "JavaScript errors: " + severe);
    }

    /** login.xhtml */
    static final class LoginPage {
        private final WebDriver driver;

        private LoginPage(WebDriver driver) {
            this.driver = driver;
        }

        static LoginPage open(WebDriver driver, String base) {
            driver.get(base + "/portal/login.xhtml");
            return new LoginPage(driver);
        }

        StatusPage signIn(String user, String password) {
            submit(user, password);
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/app/status"));
            return new StatusPage(driver);
        }

        PasswordPage signInWithOneTimePassword(String user, String password) {
            submit(user, password);
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/app/password"));
            return new PasswordPage(driver);
        }

        void signInExpectingRefusal(String user, String password) {
            submit(user, password);
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(
                    ExpectedConditions.textToBePresentInElementLocated(By.id("loginForm:messages"), "not correct"));
        }

        String errorText() {
            List<WebElement> m = driver.findElements(By.id("loginForm:messages"));
            return m.isEmpty() ? "" : m.get(0).getText();
        }

        private void submit(String user, String password) {
            driver.findElement(By.id("loginForm:username")).sendKeys(user);
            driver.findElement(By.id("loginForm:password")).sendKeys(password);
            driver.findElement(By.id("loginForm:signIn")).click();
        }
    }

    /** app/status.xhtml */
    static final class StatusPage {
        private final WebDriver driver;

        StatusPage(WebDriver driver) {
            this.driver = driver;
        }

        List<String> roleNames() {
            return driver.findElements(By.cssSelector("[id$='roles_data'] tr td:first-child")).stream()
                    .map(WebElement::getText).toList();
        }

        String summary() {
            return driver.findElement(By.cssSelector("[id$='summary']")).getText();
        }

        String signedInAs() {
            return driver.findElement(By.id("menu:who")).getText();
        }

        String messages() {
            return driver.findElement(By.id("messages")).getText();
        }

        void signOut() {
            driver.findElement(By.id("menu:logout")).click();
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/login.xhtml"));
        }
    }

    /** app/password.xhtml */
    static final class PasswordPage {
        private final WebDriver driver;

        PasswordPage(WebDriver driver) {
            this.driver = driver;
        }

        static PasswordPage open(WebDriver driver, String base) {
            driver.get(base + "/portal/app/password.xhtml");
            return new PasswordPage(driver);
        }

        boolean explainsOneTimePassword() {
            return !driver.findElements(By.cssSelector("[id$='oneTime']")).isEmpty();
        }

        StatusPage change(String current, String next, String repeated) {
            submit(current, next, repeated);
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/app/status"));
            return new StatusPage(driver);
        }

        /** Submits and returns the error messages the form shows. */
        String changeExpectingRefusal(String current, String next, String repeated) {
            submit(current, next, repeated);
            By errors = By.cssSelector(".ui-messages-error, .ui-message-error");
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(errors));
            return driver.findElements(errors).stream()
                    .map(WebElement::getText).reduce("", (a, b) -> a + " " + b);
        }

        private void submit(String current, String next, String repeated) {
            driver.findElement(By.id("passwordForm:current")).sendKeys(current);
            driver.findElement(By.id("passwordForm:next")).sendKeys(next);
            driver.findElement(By.id("passwordForm:repeated")).sendKeys(repeated);
            driver.findElement(By.id("passwordForm:change")).click();
        }
    }

    /** app/releases.xhtml */
    static final class ReleasesPage {
        private final WebDriver driver;

        private ReleasesPage(WebDriver driver) {
            this.driver = driver;
        }

        static ReleasesPage open(WebDriver driver, String base) {
            driver.get(base + "/portal/app/releases.xhtml");
            return new ReleasesPage(driver);
        }

        boolean hasUploadForm() {
            return !driver.findElements(By.id("uploadForm")).isEmpty();
        }

        boolean hasReleaseTable() {
            return !driver.findElements(By.cssSelector("[id$='releases']")).isEmpty();
        }
    }
}
