package dev.ota.it;

import static dev.ota.it.PortalBrowserIT.WAIT;
import static dev.ota.it.PortalBrowserIT.assertPageWorks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.it.PortalBrowserIT.LoginPage;
import dev.ota.it.PortalBrowserIT.StatusPage;
import java.io.File;
import java.util.List;
import java.util.logging.Level;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Accounts and API tokens in the portal, in headless Chromium from README's address, with the same
 * checks on every page as {@link PortalBrowserIT} (no console error, no CSP violation, PrimeFaces ran):
 * an administrator creates, watches over and disables a person; a person issues and revokes their own
 * API tokens, and an administrator revokes anyone's. The people are separate browsers, as they would be.
 */
@ExtendWith(ArquillianExtension.class)
class AccountsBrowserIT {
    private static final String RELEASE_MANAGER = "release-manager";
    private final Http http = new Http();
    private final String base = "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543");
    private WebDriver administrator;
    private WebDriver person;

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
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
    void createdReleaseManagerGetsAOneTimePasswordShownOnceSeesNoAccountPagesAndLosesTheSessionWhenDisabled() {
        // Arrange
        ItAccounts.admin(http);
        administrator = PortalBrowserIT.newBrowser();
        person = PortalBrowserIT.newBrowser();
        String name = "browser-created-" + System.nanoTime() % 100000;
        String chosen = name + "-chosen-password";
        LoginPage.at(administrator, base + "/portal/").signIn(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);
        AccountsPage accounts = AccountsPage.fromMenu(administrator);
        assertPageWorks(administrator);

        // Act: the administrator creates the account, then looks at the page again.
        String oneTime = accounts.create(name, RELEASE_MANAGER);
        String created = accounts.messages();
        assertPageWorks(administrator);
        AccountsPage again = AccountsPage.open(administrator, base);
        boolean shownAgain = again.showsSecret();
        String listedRoles = again.cell(name, "roles");
        String listedState = again.cell(name, "state");

        // Assert
        assertTrue(created.contains("Created the account " + name), created);
        assertEquals(24, oneTime.length(), "18 random bytes in base64url: " + oneTime.length());
        assertFalse(shownAgain, "the one-time password is shown once only");
        assertEquals(RELEASE_MANAGER, listedRoles);
        assertTrue(listedState.contains("one-time password"), listedState);
        assertPageWorks(administrator);

        // Act: the person signs in with it and must choose a password first.
        StatusPage status = LoginPage.at(person, base + "/portal/").signInWithOneTimePassword(name, oneTime)
                .change(oneTime, chosen, chosen);
        assertPageWorks(person);
        boolean menuHasTokens = !person.findElements(By.linkText("API tokens")).isEmpty();
        boolean menuHasAccounts = !person.findElements(By.linkText("Accounts")).isEmpty();
        String signedInAs = status.signedInAs();
        person.get(base + "/portal/app/accounts.xhtml");

        // Assert: no account administration in the menu, and the page itself refused (and audited).
        assertEquals(name, signedInAs);
        assertTrue(menuHasTokens, "every role has the API tokens page");
        assertFalse(menuHasAccounts, "a release manager's menu has no account administration");
        assertRefusedPage(person);
        assertTrue(ItAudit.has(http, "auth.forbidden", e -> e.actor().equals(name)
                && e.outcome().equals("DENIED") && e.subject().equals("GET /portal/app/accounts.xhtml")),
                "the refused page is in the audit log");

        // Act: the administrator disables the account; the person clicks on in the open session.
        String disabled = AccountsPage.open(administrator, base).disable(name);
        assertPageWorks(administrator);
        person.get(base + "/portal/app/status.xhtml");

        // Assert
        assertTrue(disabled.contains("Disabled " + name), disabled);
        assertEquals("disabled", new AccountsPage(administrator).cell(name, "state"));
        assertTrue(person.getCurrentUrl().endsWith("/portal/login.xhtml"), person.getCurrentUrl());
        assertPageWorks(person);
        assertEquals(401, http.get("/portal/api/v1/account", Http.basic(name, chosen)).statusCode());
        assertTrue(ItAudit.has(http, "account.disable", e -> e.actor().equals(ItAccounts.ADMIN)
                && e.subject().equals(name) && e.outcome().equals("SUCCESS")));
    }

    @Test
    void tokensIssuedInThePageOpenTheApiUntilTheOwnerOrAnAdministratorRevokesThem() {
        // Arrange
        String name = "browser-tokens-" + System.nanoTime() % 100000;
        String password = ItAccounts.createWithPassword(http, name, RELEASE_MANAGER);
        person = PortalBrowserIT.newBrowser();
        LoginPage.open(person, base).signIn(name, password);
        TokensPage tokens = TokensPage.fromMenu(person);
        assertPageWorks(person);

        // Act: two tokens issued in the page; the owner revokes the first.
        String first = tokens.issue("ci-first");
        assertPageWorks(person);
        String second = TokensPage.open(person, base).issue("ci-second");
        TokensPage listed = TokensPage.open(person, base);
        boolean secretShownAgain = listed.showsSecret();
        int beforeRevoking = http.get("/portal/api/v1/account", Http.bearer(first)).statusCode();
        String revokedMessage = listed.revokeMine("ci-first");
        assertPageWorks(person);

        // Assert
        assertFalse(secretShownAgain, "a token's secret is shown once only");
        assertEquals(200, beforeRevoking);
        assertTrue(revokedMessage.contains("Revoked the token ci-first"), revokedMessage);
        assertEquals("revoked", new TokensPage(person).stateOfMine("ci-first"));
        assertEquals("active", new TokensPage(person).stateOfMine("ci-second"));
        assertEquals(401, http.get("/portal/api/v1/account", Http.bearer(first)).statusCode());
        assertEquals(200, http.get("/portal/api/v1/account", Http.bearer(second)).statusCode());

        // Act: an administrator revokes the other one from the list of everyone's tokens.
        administrator = PortalBrowserIT.newBrowser();
        LoginPage.open(administrator, base).signIn(ItAccounts.ADMIN, ItAccounts.ADMIN_PASSWORD);
        String byAdministrator = TokensPage.open(administrator, base).revokeOthers(name, "ci-second");
        assertPageWorks(administrator);

        // Assert
        assertTrue(byAdministrator.contains("Revoked the token ci-second of " + name), byAdministrator);
        assertEquals(401, http.get("/portal/api/v1/account", Http.bearer(second)).statusCode());
        assertTrue(ItAudit.has(http, "token.revoke", e -> e.actor().equals(ItAccounts.ADMIN)
                && e.detail().endsWith(" of " + name)));
    }

    /**
     * A page the person's roles do not allow: the portal's refusal with status 403, whose only
     * console entry is the browser's note of that status; no CSP violation, no script error.
     */
    static void assertRefusedPage(WebDriver driver) {
        assertTrue(driver.findElements(By.id("accountsForm")).isEmpty(), "no account table for this person");
        assertTrue(driver.getPageSource().contains("Your roles do not allow this page"), driver.getPageSource());
        List<LogEntry> unexpected = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getMessage().contains("Content Security Policy")
                        || e.getMessage().contains("Content-Security-Policy")
                        || e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("status of 403")
                        // the browser's own favicon request goes to / (the device API) when a page names none
                        && !e.getMessage().contains("favicon.ico"))
                .toList();
        assertTrue(unexpected.isEmpty(), "console: " + unexpected);
    }

    private static String messagesOf(WebDriver driver) {
        By shown = By.cssSelector("#messages .ui-messages-info, #messages .ui-messages-error");
        BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(shown));
        return driver.findElement(By.id("messages")).getText();
    }

    private static String secretOf(WebDriver driver) {
        return driver.findElement(By.id("secret")).getText().strip();
    }

    /** app/accounts.xhtml */
    static final class AccountsPage {
        private final WebDriver driver;

        AccountsPage(WebDriver driver) {
            this.driver = driver;
        }

        static AccountsPage open(WebDriver driver, String base) {
            driver.get(base + "/portal/app/accounts.xhtml");
            return new AccountsPage(driver);
        }

        static AccountsPage fromMenu(WebDriver driver) {
            driver.findElement(By.linkText("Accounts")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/accounts"));
            return new AccountsPage(driver);
        }

        /** Creates an account with one role; returns the one-time password the page shows. */
        String create(String name, String role) {
            driver.findElement(By.id("createForm:username")).sendKeys(name);
            driver.findElement(By.xpath("//*[@id='createForm:roles']//label[normalize-space(.)='" + role + "']")).click();
            driver.findElement(By.id("createForm:create")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("secret")));
            return secretOf(driver);
        }

        boolean showsSecret() {
            return !driver.findElements(By.id("secret")).isEmpty();
        }

        String messages() {
            return driver.findElement(By.id("messages")).getText();
        }

        /** The text of a column ({@code roles}, {@code state}) in the account's row. */
        String cell(String name, String column) {
            return row(name).findElement(By.cssSelector("[id$=':" + column + "']")).getText();
        }

        /** Disables the account; returns the messages shown afterwards. */
        String disable(String name) {
            WebElement form = driver.findElement(By.id("accountsForm"));
            row(name).findElement(By.cssSelector("button[id$=':disable']")).click();
            BrowserWait.of(driver, WAIT).until(PortalBrowserIT.replaced(form));
            return messagesOf(driver);
        }

        /** Enables the account; returns the messages shown afterwards. */
        String enable(String name) {
            WebElement form = driver.findElement(By.id("accountsForm"));
            row(name).findElement(By.cssSelector("button[id$=':enable']")).click();
            BrowserWait.of(driver, WAIT).until(PortalBrowserIT.replaced(form));
            return messagesOf(driver);
        }

        /** Resets the account's password; returns the new one-time password the page shows once. */
        String resetPassword(String name) {
            row(name).findElement(By.cssSelector("button[id$=':reset']")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("secret")));
            return secretOf(driver);
        }

        /** Gives the account exactly this one role; returns the messages shown afterwards. */
        String changeRoles(String name, String role) {
            WebElement form = driver.findElement(By.id("rolesForm"));
            new Select(driver.findElement(By.id("rolesForm:account"))).selectByVisibleText(name);
            driver.findElement(By.xpath("//*[@id='rolesForm:roles']//label[normalize-space(.)='" + role + "']")).click();
            driver.findElement(By.id("rolesForm:change")).click();
            BrowserWait.of(driver, WAIT).until(PortalBrowserIT.replaced(form));
            return messagesOf(driver);
        }

        private WebElement row(String name) {
            return driver.findElement(By.xpath("//tbody[@id='accountsForm:table_data']/tr[td[1][normalize-space(.)='"
                    + name + "']]"));
        }
    }

    /** app/tokens.xhtml */
    static final class TokensPage {
        private final WebDriver driver;

        TokensPage(WebDriver driver) {
            this.driver = driver;
        }

        static TokensPage open(WebDriver driver, String base) {
            driver.get(base + "/portal/app/tokens.xhtml");
            return new TokensPage(driver);
        }

        static TokensPage fromMenu(WebDriver driver) {
            driver.findElement(By.linkText("API tokens")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/tokens"));
            return new TokensPage(driver);
        }

        /** Issues a token; returns its secret as the page shows it. */
        String issue(String label) {
            driver.findElement(By.id("issueForm:label")).sendKeys(label);
            driver.findElement(By.id("issueForm:issue")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("secret")));
            return secretOf(driver);
        }

        boolean showsSecret() {
            return !driver.findElements(By.id("secret")).isEmpty();
        }

        String stateOfMine(String label) {
            return row("mineTable", label).findElement(By.cssSelector("[id$=':state']")).getText();
        }

        String revokeMine(String label) {
            return revoke(row("mineTable", label));
        }

        String revokeOthers(String owner, String label) {
            WebElement row = driver.findElement(By.xpath("//tbody[@id='tokensForm:othersTable_data']/tr[td[2][normalize-space(.)='"
                    + owner + "'] and td[3][normalize-space(.)='" + label + "']]"));
            return revoke(row);
        }

        private String revoke(WebElement row) {
            WebElement form = driver.findElement(By.id("tokensForm"));
            row.findElement(By.cssSelector("button[id$=':revoke']")).click();
            BrowserWait.of(driver, WAIT).until(PortalBrowserIT.replaced(form));
            return messagesOf(driver);
        }

        private WebElement row(String table, String label) {
            return driver.findElement(By.xpath("//tbody[@id='tokensForm:" + table + "_data']/tr[td[2][normalize-space(.)='"
                    + label + "']]"));
        }
    }
}
