package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The portal as a person sees it, in Debian's headless Chromium, starting where README sends people:
 * {@code https://127.0.0.1:<https port>/portal/}. Every address a person may type ({@code /portal},
 * {@code /portal/}, {@code /portal/app/}, a page after the session ended) must end on a working page;
 * every page the tests reach is checked by {@link #assertPageWorks()}: the browser console holds no
 * Content-Security-Policy violation and no script error, PrimeFaces' scripts ran and its stylesheets
 * loaded. One page object per page.
 */
@ExtendWith(ArquillianExtension.class)
class PortalBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(20);
    private final Http http = new Http();
    /** README's address, on the IT server's HTTPS port. */
    private final String base = "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543");
    private WebDriver driver;

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @BeforeEach
    void startBrowser() {
        driver = newBrowser();
    }

    /** Debian's headless Chromium, its console kept for {@link #assertPageWorks(WebDriver)}. */
    static WebDriver newBrowser() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium floods a closed network with connections.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic");
        // The IT server's certificate is the self-signed one Liberty generated at its first start.
        options.setAcceptInsecureCerts(true);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void readmeAddressLeadsToAWorkingSignInAndEveryTypedAddressToAWorkingPage() {
        // Arrange
        ItAccounts.admin(http);

        // Act: README's address, then the sign-in button on the page it shows.
        LoginPage login = LoginPage.at(driver, base + "/portal/");
        assertPageWorks();
        login.signIn(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);

        // Assert: the home page, then the repository page from the menu.
        assertTrue(driver.getCurrentUrl().endsWith("/portal/app/home.xhtml"), driver.getCurrentUrl());
        assertPageWorks();
        StatusPage status = StatusPage.fromMenu(driver);
        assertPageWorks();
        assertEquals(List.of("root", "targets", "snapshot", "timestamp", "releases-*"), status.roleNames());
        assertTrue(status.summary().startsWith("256 hash bins"), status.summary());
        assertEquals(ItAccounts.ADMIN, status.signedInAs());

        // Act + Assert: the other addresses a signed-in person may type.
        for (String typed : List.of("/portal", "/portal/", "/portal/app", "/portal/app/")) {
            String landed = urlAfterOpening(base + typed);
            assertTrue(landed.endsWith("/portal/app/home.xhtml"), typed + " ended on " + landed);
            assertFalse(driver.findElements(By.id("attention")).isEmpty(), typed + " shows the home page");
            assertPageWorks();
        }

        // Act: signing out, then the typed addresses once more.
        new StatusPage(driver).signOut();
        assertPageWorks();
        for (String typed : List.of("/portal", "/portal/", "/portal/app/", "/portal/app/releases.xhtml")) {
            String landed = urlAfterOpening(base + typed);

            // Assert: each one ends on the sign-in form.
            assertTrue(landed.endsWith("/portal/login.xhtml"), typed + " ended on " + landed);
            assertTrue(new LoginPage(driver).isShown(), typed);
            assertPageWorks();
        }
    }

    @Test
    void releaseManagerUploadsAReleaseThroughTheReleasesPage() throws IOException {
        // Arrange
        String name = "browser-uploader-" + System.nanoTime() % 100000;
        String password = ItAccounts.createWithPassword(http, name, "release-manager");
        String path = "firmware/browser/" + name + ".bin";
        Path file = Files.createTempFile("portal-upload", ".bin");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        LoginPage.open(driver, base).signIn(name, password);
        ReleasesPage releases = ReleasesPage.open(driver, base);
        assertPageWorks();

        // Act
        String shown = releases.upload(path, "1.0", "gw-a", file);

        // Assert
        assertTrue(shown.contains("Published " + path), shown);
        assertTrue(releases.listedPaths().contains(path), releases.listedPaths().toString());
        assertPageWorks();
        Files.delete(file);
    }

    @Test
    void releaseManagerRollsBackToAReleaseWithItsButtonOnTheReleasesPage() {
        // Arrange: a release of a product line of this test's own, then a newer one devices now run.
        String run = Long.toString(System.nanoTime() % 1000000);
        String name = "browser-rollback-" + run;
        String password = ItAccounts.createWithPassword(http, name, "release-manager");
        String hardware = "browser-rb-" + run;
        String path = "firmware/browser/" + name + ".bin";
        String[] admin = ItAccounts.admin(http);
        HttpResponse<byte[]> good = http.sendBytes("POST", "/portal/api/v1/releases?path=" + path + "&version=1.0"
                + "&hardwareId=" + hardware, new byte[] {1, 2, 3}, admin);
        assertEquals(201, good.statusCode(), Http.text(good));
        HttpResponse<byte[]> newer = http.sendBytes("POST", "/portal/api/v1/releases?path=firmware/browser/" + name
                + "-2.bin&version=2.0&hardwareId=" + hardware, new byte[] {4, 5, 6}, admin);
        assertEquals(201, newer.statusCode(), Http.text(newer));
        LoginPage.open(driver, base).signIn(name, password);
        ReleasesPage releases = ReleasesPage.open(driver, base);
        assertPageWorks();

        // Act
        String shown = releases.rollBack(path);

        // Assert: published under the derived path with the line's next counter, listed, and recorded as a rollback.
        String rollbackPath = "firmware/browser/" + name + "-rb1.bin";
        assertTrue(shown.contains("Published " + rollbackPath + " with release counter 3"), shown);
        assertTrue(releases.listedPaths().contains(rollbackPath), releases.listedPaths().toString());
        assertPageWorks();
        assertTrue(ItAudit.has(http, "release.rollback", e -> e.actor().equals(name)
                && e.subject().equals(rollbackPath) && e.outcome().equals("SUCCESS")), "the rollback is audited");
        JsonValue.JsonObject created = ((JsonValue.JsonArray) Json.parse(http.get("/portal/api/v1/releases?limit=50",
                admin).body(), "releases")).elements().stream().map(v -> (JsonValue.JsonObject) v)
                .filter(o -> JsonValue.of(rollbackPath).equals(o.get("targetPath"))).findFirst().orElseThrow();
        assertEquals(JsonValue.obj("rollbackOf", JsonValue.of(path)), Json.parse(((JsonValue.JsonString)
                created.get("customJson")).value().getBytes(java.nio.charset.StandardCharsets.UTF_8), "customJson"));
    }

    @Test
    void wrongPasswordIsRefusedAndProtectedPagesStayClosed() {
        // Arrange
        ItAccounts.admin(http);
        LoginPage login = LoginPage.open(driver, base);

        // Act
        login.signInExpectingRefusal(ItAccounts.ADMIN, "not-the-password");
        String shown = login.errorText();
        assertPageWorks();
        driver.get(base + "/portal/app/status.xhtml");

        // Assert
        assertTrue(shown.contains("The user name or password is not correct."), shown);
        assertTrue(driver.getCurrentUrl().endsWith("/portal/login.xhtml"), driver.getCurrentUrl());
        assertPageWorks();
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
        assertFalse(releases.hasRollbackButtons(), "rolling back is for release managers");
        assertPageWorks();
    }

    @Test
    void pagesAfterTheSessionEndedLeadBackToAWorkingSignIn() {
        // Arrange: a signed-in person on the releases page; then the server forgets them (cookies gone).
        String name = "browser-expired-" + System.nanoTime() % 100000;
        String password = ItAccounts.createWithPassword(http, name, "release-manager");
        LoginPage.open(driver, base).signIn(name, password);
        ReleasesPage.open(driver, base);
        driver.manage().deleteAllCookies();

        // Act: a menu link, then a form that was rendered in the ended session.
        driver.findElement(By.linkText("Repository")).click();
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/login.xhtml"));

        // Assert
        assertTrue(new LoginPage(driver).isShown());
        assertPageWorks();

        // Arrange: a sign-in form whose session ended while it was open.
        LoginPage stale = LoginPage.open(driver, base);
        driver.manage().deleteAllCookies();

        // Act
        stale.submit(name, password);
        BrowserWait.of(driver, WAIT).until(
                ExpectedConditions.textToBePresentInElementLocated(By.id("loginForm:messages"), "expired"));

        // Assert: told why, on a working form that signs in.
        assertTrue(driver.getCurrentUrl().endsWith("/portal/login.xhtml"), driver.getCurrentUrl());
        assertPageWorks();
        assertEquals(name, new LoginPage(driver).signIn(name, password).signedInAs());
        assertPageWorks();
    }

    @Test
    void oneTimePasswordMustBeReplacedInThePortalFormBeforeAnyOtherPage() {
        // Arrange: a new account, as an administrator creates it, with its one-time password.
        String name = "browser-newcomer-" + System.nanoTime() % 100000;
        String oneTime = ItAccounts.createAccount(http, ItAccounts.admin(http), name, "release-manager");
        String chosen = name + "-chosen-password";

        // Act: first sign-in from README's address, then try to go elsewhere.
        PasswordPage form = LoginPage.at(driver, base + "/portal/").signInWithOneTimePassword(name, oneTime);
        assertPageWorks();
        boolean explainsWhy = form.explainsOneTimePassword();
        String statusRedirect = urlAfterOpening(base + "/portal/app/status.xhtml");
        String releasesRedirect = urlAfterOpening(base + "/portal/app/releases.xhtml");
        String frontDoorRedirect = urlAfterOpening(base + "/portal/");

        // Assert: the form is the only page.
        assertTrue(explainsWhy, "the form says why it is shown");
        assertTrue(statusRedirect.endsWith("/portal/app/password.xhtml"), statusRedirect);
        assertTrue(releasesRedirect.endsWith("/portal/app/password.xhtml"), releasesRedirect);
        assertTrue(frontDoorRedirect.endsWith("/portal/app/password.xhtml"), frontDoorRedirect);
        assertPageWorks();

        // Act: a wrong current password, a too-short new one, a repetition that differs.
        String wrongCurrent = PasswordPage.open(driver, base)
                .changeExpectingRefusal("not-the-password", chosen, chosen);
        assertPageWorks();
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
        assertPageWorks();
        status.signOut();
        StatusPage again = LoginPage.open(driver, base).signIn(name, chosen);

        // Assert: the status page, then a normal session; the one-time password is gone.
        assertTrue(confirmation.contains("Your password was changed."), confirmation);
        assertEquals(name, again.signedInAs());
        assertPageWorks();
        assertEquals(200, http.get("/portal/api/v1/account", Http.basic(name, chosen)).statusCode());
        assertEquals(401, http.get("/portal/api/v1/account", Http.basic(name, oneTime)).statusCode());
    }

    private String urlAfterOpening(String url) {
        driver.get(url);
        return driver.getCurrentUrl();
    }

    /**
     * The page in the browser works as its author meant: nothing in the console at error level (a
     * Content-Security-Policy violation and an uncaught script error both are), PrimeFaces' script
     * ran, and every stylesheet the page links loaded (a blocked or failed one has no sheet) and styles
     * PrimeFaces' widgets. Reading the console empties it, so each call judges what came since the last.
     */
    private void assertPageWorks() {
        assertPageWorks(driver);
    }

    /**
     * Waits until {@code element} left the page (a form post replaced it). Selenium's stalenessOf only counts a
     * StaleElementReferenceException; Chromium 156 may instead answer "Node with given id does not belong to the
     * document" for the same situation, which fails the wait instead of ending it.
     */
    static ExpectedCondition<Boolean> replaced(WebElement element) {
        return d -> {
            try {
                element.isEnabled();
                return false;
            } catch (org.openqa.selenium.WebDriverException gone) {
                return true;
            }
        };
    }

    static void assertPageWorks(WebDriver driver) {
        String page = driver.getCurrentUrl();
        List<LogEntry> console = driver.manage().logs().get(LogType.BROWSER).getAll();
        List<LogEntry> errors = console.stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()
                        || e.getMessage().contains("Content Security Policy")
                        || e.getMessage().contains("Content-Security-Policy"))
                .toList();
        assertTrue(errors.isEmpty(), page + ": console errors or CSP violations: " + errors);
        JavascriptExecutor js = (JavascriptExecutor) driver;
        assertEquals(Boolean.TRUE, js.executeScript("return typeof window.PrimeFaces === 'object'"
                + " && document.readyState === 'complete'"), page + ": PrimeFaces' script did not run");
        @SuppressWarnings("unchecked")
        List<Object> sheets = (List<Object>) js.executeScript(
                "return Array.from(document.querySelectorAll('link[rel=stylesheet]'))"
                        + ".map(l => l.sheet ? l.href + ' ' + l.sheet.cssRules.length : l.href + ' NOT LOADED');");
        assertFalse(sheets.isEmpty(), page + ": no stylesheet");
        assertTrue(sheets.stream().map(String::valueOf).noneMatch(s -> s.endsWith("NOT LOADED") || s.endsWith(" 0")),
                page + ": stylesheets " + sheets);
        // The theme styles the widgets: a panel's header is not the browser's unstyled block of text.
        Object padding = js.executeScript("const w = document.querySelector('.ui-panel-titlebar, .ui-menubar');"
                + " return w ? getComputedStyle(w).paddingTop : 'no PrimeFaces widget';");
        assertFalse(List.of("0px", "no PrimeFaces widget").contains(padding), page + ": widget padding " + padding);
    }

    /** login.xhtml */
    static final class LoginPage {
        private final WebDriver driver;

        LoginPage(WebDriver driver) {
            this.driver = driver;
        }

        static LoginPage open(WebDriver driver, String base) {
            return at(driver, base + "/portal/login.xhtml");
        }

        /** Whatever address shows the sign-in form. */
        static LoginPage at(WebDriver driver, String url) {
            driver.get(url);
            LoginPage page = new LoginPage(driver);
            assertTrue(page.isShown(), url + " shows no sign-in form but " + driver.getCurrentUrl());
            return page;
        }

        boolean isShown() {
            return !driver.findElements(By.id("loginForm:signIn")).isEmpty();
        }

        /** Signs in and lands on the home page; the returned page object reads the template's menu and messages. */
        StatusPage signIn(String user, String password) {
            submit(user, password);
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/home"));
            return new StatusPage(driver);
        }

        PasswordPage signInWithOneTimePassword(String user, String password) {
            submit(user, password);
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/password"));
            return new PasswordPage(driver);
        }

        void signInExpectingRefusal(String user, String password) {
            submit(user, password);
            BrowserWait.of(driver, WAIT).until(
                    ExpectedConditions.textToBePresentInElementLocated(By.id("loginForm:messages"), "not correct"));
        }

        String errorText() {
            List<WebElement> m = driver.findElements(By.id("loginForm:messages"));
            return m.isEmpty() ? "" : m.get(0).getText();
        }

        void submit(String user, String password) {
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

        /** The repository page, opened from the menu. */
        static StatusPage fromMenu(WebDriver driver) {
            driver.findElement(By.linkText("Repository")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/status"));
            return new StatusPage(driver);
        }

        String messages() {
            return driver.findElement(By.id("messages")).getText();
        }

        void signOut() {
            driver.findElement(By.id("menu:logout")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/login.xhtml"));
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
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/home"));
            return new StatusPage(driver);
        }

        /** Submits and returns the error messages the form shows. */
        String changeExpectingRefusal(String current, String next, String repeated) {
            submit(current, next, repeated);
            By errors = By.cssSelector(".ui-messages-error, .ui-message-error");
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(errors));
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

        /** Fills and sends the upload form; returns the messages the page shows afterwards. */
        String upload(String path, String version, String hardwareIds, Path file) {
            driver.findElement(By.id("uploadForm:path")).sendKeys(path);
            driver.findElement(By.id("uploadForm:version")).sendKeys(version);
            driver.findElement(By.id("uploadForm:hardwareIds")).sendKeys(hardwareIds);
            driver.findElement(By.id("uploadForm:file")).sendKeys(file.toAbsolutePath().toString());
            driver.findElement(By.id("uploadForm:send")).click();
            By messages = By.cssSelector("#messages .ui-messages-info, #messages .ui-messages-error");
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(messages));
            return driver.findElement(By.id("messages")).getText();
        }

        boolean hasRollbackButtons() {
            return !driver.findElements(By.cssSelector("[id$=':rollback']")).isEmpty();
        }

        /** Clicks the rollback button in the row of {@code path}; returns the messages the page shows afterwards. */
        String rollBack(String path) {
            driver.findElement(By.xpath("//tbody[contains(@id,'releases_data')]/tr[td[2][normalize-space()='" + path
                    + "']]//button[contains(@id,':rollback')]")).click();
            By messages = By.cssSelector("#messages .ui-messages-info, #messages .ui-messages-error");
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(messages));
            return driver.findElement(By.id("messages")).getText();
        }

        List<String> listedPaths() {
            return driver.findElements(By.cssSelector("[id$='releases_data'] tr td:nth-child(2)")).stream()
                    .map(WebElement::getText).toList();
        }
    }
}
