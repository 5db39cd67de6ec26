package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.protocol.Report;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
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
import org.openqa.selenium.support.ui.Select;

/**
 * The rollout pages in headless Chromium (issue 13, item 6), each person starting at README's address and reaching
 * the pages through the menu: a release manager creates a rollout with the wizard (a refusal by field first, the
 * maintenance window previewed in another time zone) and submits it; the page offers them no approval; a second
 * release manager sees the definition and its hash and approves; the live page follows a running rollout's waves
 * and failures without a reload; an auditor sees it all without a control, and a command forced anyway is refused
 * by the server and audited. Every page is checked for console errors and CSP violations.
 */
@ExtendWith(ArquillianExtension.class)
class RolloutBrowserIT {
    private static final Duration WAIT = PortalBrowserIT.WAIT;
    /** The scheduler decides every few seconds; the page polls every three: a minute is plenty for both. */
    private static final Duration LIVE_WAIT = Duration.ofMinutes(1);
    private static final String API = "/portal/api/v1/rollouts";
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ENGLISH);
    private final Http http = new Http();
    private final String base = "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543");
    private final List<WebDriver> browsers = new ArrayList<>();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @AfterEach
    void stopBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    @Test
    void releaseManagerCreatesWithTheWizardAndASecondReleaseManagerApprovesTheDefinitionShown() {
        // Arrange: a release and a saved filter of this test's own, two release managers.
        String run = run();
        String[] admin = ItAccounts.admin(http);
        String hardware = "lock-wiz-" + run;
        String path = "lock-fw/wizard-" + run + "-1.5.0.bin";
        ItFleet.upload(http, admin, path, hardware, 42, ("firmware " + run).getBytes(StandardCharsets.UTF_8));
        String filter = "wizard-" + run;
        HttpResponse<byte[]> saved = http.postJson("/portal/api/v1/filters", "{\"name\":\"" + filter
                + "\",\"filter\":{\"hardwareId\":\"" + hardware + "\"}}", admin);
        assertEquals(201, saved.statusCode(), Http.text(saved));
        String creator = "rm-wizard-" + run;
        String creatorPassword = ItAccounts.createWithPassword(http, creator, "release-manager");
        String approver = "rm-approves-" + run;
        String approverPassword = ItAccounts.createWithPassword(http, approver, "release-manager");
        String name = "weekend fw " + run;
        WebDriver rm = signedIn(creator, creatorPassword);

        // Act: from the menu to the wizard; waves that miss devices first, the window previewed in New York.
        RolloutsPage.fromMenu(rm).newRollout();
        assertPageWorks(rm);
        WizardPage wizard = new WizardPage(rm);
        wizard.fill(name, path, filter, "1", "10, 50", "FREQ=WEEKLY;BYDAY=SA,SU", "Europe/Berlin");
        String refused = wizard.createExpectingRefusal();
        assertPageWorks(rm);
        List<List<String>> preview = wizard.preview("America/New_York");
        Instant now = new ServerClock().clock().instant();
        assertPageWorks(rm);
        wizard.setWaves("100");
        LivePage draft = wizard.create();

        // Assert: the refusal is the API's, by field; the preview is the server's expansion of the rule.
        assertTrue(refused.contains("waves must be cumulative percentages ending at 100"), refused);
        assertTrue(preview.size() == 4 || preview.size() == 5, "two weekend windows a week for two weeks: " + preview);
        List<String> expected = weekendWindowsInNewYork(now);
        assertEquals(expected, preview.get(0), "the next window, Berlin's 02:00 in New York: " + preview);
        assertTrue(draft.messages().contains("Created rollout '" + name + "'"), draft.messages());
        assertEquals("DRAFT", draft.state());
        assertPageWorks(rm);
        String id = draft.rolloutId();
        JsonObject stored = get(id, admin);
        JsonObject definition = (JsonObject) stored.get("definition");
        assertEquals(creator, string(stored, "createdBy"));
        assertEquals(1, number(definition, "canary"));
        assertEquals(JsonValue.obj("hardwareId", JsonValue.of(hardware)), definition.get("filter"));
        JsonObject window = (JsonObject) ((JsonValue.JsonArray) definition.get("windows")).elements().get(0);
        assertEquals("FREQ=WEEKLY;BYDAY=SA,SU", string(window, "rule"));
        assertEquals("Europe/Berlin", string(window, "timeZone"));
        String hash = string(stored, "definitionHash");
        assertTrue(ItAudit.has(http, "rollout.create", e -> e.actor().equals(creator)
                && e.subject().equals(id) && e.outcome().equals("SUCCESS") && e.detail().contains(hash)),
                "created through the service, audited as through the API");
        assertTrue(ItAudit.has(http, "rollout.create", e -> e.actor().equals(creator)
                && e.outcome().equals("DENIED") && e.detail().startsWith("rollout.invalid: rollout field waves")),
                "the refusal is audited too, as the API's is");

        // Act: the creator submits; the page then offers them no approval.
        draft.press("submit");

        // Assert
        assertEquals("AWAITING_APPROVAL", draft.state());
        assertFalse(draft.has("approve"), "the creator is not offered the approval");
        assertTrue(draft.has("awaitingOthers"));
        assertPageWorks(rm);

        // Act: the second release manager opens it from the rollout list and approves what the page shows.
        WebDriver second = signedIn(approver, approverPassword);
        LivePage shown = RolloutsPage.fromMenu(second).open(name);
        String shownHash = shown.text("hash");
        String shownDefinition = shown.text("definitionJson");
        assertPageWorks(second);
        shown.press("approve");

        // Assert
        assertEquals(hash, shownHash);
        assertTrue(shownDefinition.contains("FREQ=WEEKLY;BYDAY=SA,SU") && shownDefinition.contains(path),
                shownDefinition);
        assertEquals("SCHEDULED", shown.state());
        assertEquals(approver, shown.text("approvedBy"));
        assertTrue(shown.messages().contains("Approved definition " + hash), shown.messages());
        assertPageWorks(second);
        assertTrue(ItAudit.has(http, "rollout.approve", e -> e.actor().equals(approver)
                && e.subject().equals(id) && e.outcome().equals("SUCCESS") && e.detail().contains(hash)));
    }

    @Test
    void theLivePageFollowsTheWavesWithoutReloadingAndAnAuditorHasNoControlThatTheServerWouldAccept() {
        // Arrange: three devices, a rollout approved through the API with a canary of two.
        String run = run();
        String[] admin = ItAccounts.admin(http);
        String hardware = "lock-live-" + run;
        String path = "lock-fw/live-" + run + "-1.5.0.bin";
        ItFleet.upload(http, admin, path, hardware, 42, ("firmware " + run).getBytes(StandardCharsets.UTF_8));
        List<TestDevice> devices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            devices.add(ItFleet.enrolled(http, admin, "live-" + run + "-" + i, hardware));
        }
        String creator = "rm-live-" + run;
        String creatorPassword = ItAccounts.createWithPassword(http, creator, "release-manager");
        String[] approver = Http.basic("rm-live2-" + run, ItAccounts.createWithPassword(http, "rm-live2-" + run,
                "release-manager"));
        String auditor = "auditor-live-" + run;
        String auditorPassword = ItAccounts.createWithPassword(http, auditor, "auditor");
        String name = "live fw " + run;
        HttpResponse<byte[]> created = http.postJson(API, "{\"name\":\"" + name + "\",\"targetPath\":\"" + path
                + "\",\"filter\":{\"hardwareId\":\"" + hardware + "\"},\"canary\":2,\"waves\":[100],"
                + "\"successPct\":50,\"errorBudget\":{\"minSample\":10,\"errorPct\":50,\"maxFailed\":5}}",
                Http.basic(creator, creatorPassword));
        assertEquals(201, created.statusCode(), Http.text(created));
        String id = string(json(created), "id");
        assertEquals(200, http.send("POST", API + "/" + id + "/submit", Http.basic(creator, creatorPassword))
                .statusCode());
        assertEquals(200, http.send("POST", API + "/" + id + "/approve", approver).statusCode());
        WebDriver rm = signedIn(creator, creatorPassword);
        LivePage live = RolloutsPage.fromMenu(rm).open(name);

        // Act: started from the page; then the canary's devices report, one failing, while the page stays open.
        live.press("start");
        assertEquals("RUNNING", live.state());
        assertEquals(List.of("Canary", "ACTIVE", "2", "0", "0", "2"), live.wave(0));
        assertPageWorks(rm);
        ((JavascriptExecutor) rm).executeScript("window.stillTheSamePage = true;");
        List<TestDevice> canary = new ArrayList<>();
        for (TestDevice d : devices) {
            if (orderedAction(d, path) != null) {
                canary.add(d);
            }
        }
        assertEquals(2, canary.size(), "the director ordered the canary");
        report(canary.get(0), path, Report.State.FAILED, "install: no space left for the image");
        report(canary.get(1), path, Report.State.SUCCEEDED, "");
        BrowserWait.of(rm, LIVE_WAIT).until(d -> live.wave(0).equals(List.of("Canary", "ACTIVE", "2", "1", "1", "0")));

        // Assert: the page changed by itself, the bar shows the halves, the failure is listed by class.
        assertEquals(Boolean.TRUE, ((JavascriptExecutor) rm).executeScript("return window.stillTheSamePage === true"),
                "updated without a reload");
        assertEquals(List.of("50%", "50%", "0%"), live.bar(0));
        assertEquals(List.of("install:", "1"), live.failures().get(0));
        assertPageWorks(rm);

        // Act: the release manager pauses it from the page.
        live.press("pause");

        // Assert
        assertEquals("PAUSED", live.state());
        assertTrue(live.has("resume") && live.has("cancel") && !live.has("pause"));
        assertPageWorks(rm);

        // Act: an auditor follows the menu to the same page, then types the wizard's address.
        WebDriver reader = signedIn(auditor, auditorPassword);
        RolloutsPage list = RolloutsPage.fromMenu(reader);
        boolean offeredWizard = list.offersNewRollout();
        LivePage watched = list.open(name);
        String watchedState = watched.state();
        List<String> watchedCanary = watched.wave(0);
        List<String> controls = watched.controls();
        assertPageWorks(reader);
        reader.get(base + "/portal/app/rollout-new.xhtml");
        AccountsBrowserIT.assertRefusedPage(reader);
        reader.navigate().back();
        BrowserWait.of(reader, WAIT).until(ExpectedConditions.urlContains("/app/rollout.xhtml"));

        // Assert: everything to read, nothing to press; the wizard refused (the page above) and the refusal audited.
        assertFalse(offeredWizard, "no wizard for an auditor");
        assertEquals("PAUSED", watchedState);
        assertEquals(List.of("Canary", "ACTIVE", "2", "1", "1", "0"), watchedCanary);
        assertEquals(List.of(), controls, "no command for an auditor");
        assertTrue(ItAudit.has(http, "auth.forbidden", e -> e.actor().equals(auditor)
                && e.subject().equals("GET /portal/app/rollout-new.xhtml") && e.outcome().equals("DENIED")));

        // Act: the auditor forces a resume anyway, with their own credentials.
        HttpResponse<byte[]> forced = http.send("POST", API + "/" + id + "/resume", Http.basic(auditor, auditorPassword));

        // Assert: refused by the server, audited, nothing changed.
        assertEquals(403, forced.statusCode(), Http.text(forced));
        assertEquals("auth.forbidden", string(json(forced), "code"));
        assertTrue(ItAudit.has(http, "auth.forbidden", e -> e.actor().equals(auditor)
                && e.subject().equals("POST " + API + "/" + id + "/resume") && e.outcome().equals("DENIED")));
        assertEquals("PAUSED", string(get(id, admin), "state"));

        // Act + Assert: the release manager resumes and cancels it; the auditor's open page follows.
        live.press("resume");
        assertEquals("RUNNING", live.state());
        live.press("cancel");
        assertEquals("CANCELED", live.state());
        assertEquals(List.of(), live.controls(), "an ended rollout has no command");
        BrowserWait.of(reader, LIVE_WAIT).until(d -> watched.state().equals("CANCELED"));
        assertPageWorks(rm);
        assertPageWorks(reader);
        for (String action : List.of("rollout.start", "rollout.pause", "rollout.resume", "rollout.cancel")) {
            assertTrue(ItAudit.has(http, action, e -> e.actor().equals(creator)
                    && e.subject().equals(id) && e.outcome().equals("SUCCESS")), action + " audited");
        }
    }

    /** The first weekend window (02:00-04:00 in Berlin) still open or to come at {@code now}, as New York shows it. */
    private static List<String> weekendWindowsInNewYork(Instant now) {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        ZoneId newYork = ZoneId.of("America/New_York");
        for (LocalDate day = now.atZone(berlin).toLocalDate().minusDays(1); ; day = day.plusDays(1)) {
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                continue;
            }
            ZonedDateTime opens = ZonedDateTime.of(day, LocalTime.of(2, 0), berlin);
            ZonedDateTime closes = opens.plusHours(2);
            if (closes.toInstant().isAfter(now)) {
                return List.of(SHOWN.format(opens.withZoneSameInstant(newYork)),
                        SHOWN.format(closes.withZoneSameInstant(newYork)));
            }
        }
    }

    private WebDriver signedIn(String user, String password) {
        WebDriver driver = PortalBrowserIT.newBrowser();
        browsers.add(driver);
        PortalBrowserIT.LoginPage.at(driver, base + "/portal/").signIn(user, password);
        return driver;
    }

    private static void assertPageWorks(WebDriver driver) {
        PortalBrowserIT.assertPageWorks(driver);
    }

    /** app/rollouts.xhtml */
    static final class RolloutsPage {
        private final WebDriver driver;

        private RolloutsPage(WebDriver driver) {
            this.driver = driver;
        }

        static RolloutsPage fromMenu(WebDriver driver) {
            driver.findElement(By.linkText("Rollouts")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/rollouts"));
            return new RolloutsPage(driver);
        }

        boolean offersNewRollout() {
            return !driver.findElements(By.id("rolloutsForm:newRollout")).isEmpty();
        }

        void newRollout() {
            driver.findElement(By.id("rolloutsForm:newRollout")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/rollout-new"));
        }

        LivePage open(String name) {
            driver.findElement(By.linkText(name)).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/rollout.xhtml"));
            return new LivePage(driver);
        }
    }

    /** app/rollout-new.xhtml */
    static final class WizardPage {
        private final WebDriver driver;

        WizardPage(WebDriver driver) {
            this.driver = driver;
        }

        void fill(String name, String release, String filter, String canary, String waves, String rule, String zone) {
            driver.findElement(By.id("wizard:name")).sendKeys(name);
            new Select(driver.findElement(By.id("wizard:release"))).selectByVisibleText(release);
            new Select(driver.findElement(By.id("wizard:filter"))).selectByVisibleText(filter);
            replace("wizard:canary", canary);
            setWaves(waves);
            replace("wizard:rule", rule);
            new Select(driver.findElement(By.id("wizard:zone"))).selectByVisibleText(zone);
        }

        void setWaves(String waves) {
            replace("wizard:waves", waves);
        }

        private void replace(String id, String text) {
            WebElement field = driver.findElement(By.id(id));
            field.clear();
            field.sendKeys(text);
        }

        /** Presses Preview; the rows (opens, closes) once the table shows them. */
        List<List<String>> preview(String zone) {
            new Select(driver.findElement(By.id("wizard:previewZone"))).selectByVisibleText(zone);
            driver.findElement(By.id("wizard:preview")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("wizard:previewTable"), "in " + zone));
            return driver.findElements(By.cssSelector("[id='wizard:previewTable_data'] tr")).stream()
                    .map(tr -> tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()).toList();
        }

        /** Presses Create expecting a refusal; the page's error messages. */
        String createExpectingRefusal() {
            WebElement button = driver.findElement(By.id("wizard:create"));
            button.click();
            BrowserWait.of(driver, WAIT).until(PortalBrowserIT.replaced(button));
            return driver.findElement(By.id("messages")).getText();
        }

        LivePage create() {
            driver.findElement(By.id("wizard:create")).click();
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.urlContains("/app/rollout.xhtml"));
            return new LivePage(driver);
        }
    }

    /** app/rollout.xhtml */
    static final class LivePage {
        private static final List<String> COMMANDS = List.of("submit", "approve", "start", "pause", "resume", "cancel");
        private final WebDriver driver;

        LivePage(WebDriver driver) {
            this.driver = driver;
        }

        String rolloutId() {
            String url = driver.getCurrentUrl();
            return url.substring(url.indexOf("id=") + 3);
        }

        String state() {
            return text("state");
        }

        /** The text of the element whose id ends with {@code :name} or is {@code name}. */
        String text(String name) {
            return read(() -> driver.findElement(By.cssSelector("[id='" + name + "'], [id$=':" + name + "']"))
                    .getText());
        }

        /**
         * Reads the page once more when the poll replaced what was being read (Chromium answers a stale element or
         * "does not belong to the document"): the live part is re-rendered whenever the rollout changed.
         */
        private static <T> T read(java.util.function.Supplier<T> reading) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return reading.get();
                } catch (org.openqa.selenium.NoSuchElementException missing) {
                    throw missing;
                } catch (org.openqa.selenium.WebDriverException replaced) {
                    if (attempt == 5) {
                        throw replaced;
                    }
                }
            }
        }

        String messages() {
            return driver.findElement(By.id("messages")).getText();
        }

        boolean has(String name) {
            return !driver.findElements(By.cssSelector("[id$=':" + name + "']")).isEmpty();
        }

        /** The command buttons on the page. */
        List<String> controls() {
            return COMMANDS.stream().filter(c -> !driver.findElements(By.id("controlsForm:" + c)).isEmpty()).toList();
        }

        /** Presses a command button (a full form post) and waits for the page that answers it. */
        void press(String command) {
            WebElement button = driver.findElement(By.id("controlsForm:" + command));
            button.click();
            BrowserWait.of(driver, WAIT).until(PortalBrowserIT.replaced(button));
            BrowserWait.of(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("messages")));
        }

        /** Wave {@code index}'s row: label, state, members, succeeded, failed, in progress. */
        List<String> wave(int index) {
            return read(() -> driver.findElements(By.cssSelector("[id='waves_data'] tr")).get(index)
                    .findElements(By.tagName("td")).subList(0, 6).stream().map(WebElement::getText).toList());
        }

        /** The widths of wave {@code index}'s bar segments: succeeded, failed, in progress. */
        List<String> bar(int index) {
            return read(() -> {
                WebElement row = driver.findElements(By.cssSelector("[id='waves_data'] tr")).get(index);
                return List.of("bar-succeeded", "bar-failed", "bar-in-progress").stream()
                        .map(c -> row.findElement(By.className(c)).getAttribute("style"))
                        .map(s -> s.replaceAll(".*width: ([0-9.]+%).*", "$1")).toList();
            });
        }

        List<List<String>> failures() {
            return read(() -> driver.findElements(By.cssSelector("[id='failures_data'] tr")).stream()
                    .map(tr -> tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()).toList());
        }
    }

    /** The action id of the device's director order of {@code path}, or null when it has none. */
    private String orderedAction(TestDevice device, String path) {
        JsonObject answer = json(device.checkin(http));
        String token = string(answer, "token");
        JsonObject ts = signed(director(device, "timestamp.json", token));
        long snapshot = number((JsonObject) ((JsonObject) ts.get("meta")).get("snapshot.json"), "version");
        JsonObject sn = signed(director(device, snapshot + ".snapshot.json", token));
        long targets = number((JsonObject) ((JsonObject) sn.get("meta")).get("targets.json"), "version");
        JsonValue target = ((JsonObject) signed(director(device, targets + ".targets.json", token)).get("targets"))
                .members().get(path);
        return target == null ? null : string((JsonObject) ((JsonObject) target).get("custom"), "actionId");
    }

    /** The device reports its order of {@code path} in a signed check-in (as RolloutIT's devices do). */
    private void report(TestDevice device, String path, Report.State state, String detail) {
        String actionId = orderedAction(device, path);
        assertNotNull(actionId, device.id + " has an order of " + path);
        HttpResponse<byte[]> r = device.checkin(http, device.nextCheckin(
                List.of(new Report(actionId, 1, state, TestDevice.TIME, detail)), null));
        assertEquals(200, r.statusCode(), Http.text(r));
    }

    private HttpResponse<byte[]> director(TestDevice device, String file, String token) {
        HttpResponse<byte[]> r = http.get("/director/" + device.id + "/metadata/" + file, "Authorization",
                "Bearer " + token);
        assertEquals(200, r.statusCode(), Http.text(r));
        return r;
    }

    private JsonObject get(String id, String[] who) {
        HttpResponse<byte[]> r = http.get(API + "/" + id, who);
        assertEquals(200, r.statusCode(), Http.text(r));
        return json(r);
    }

    private static JsonObject signed(HttpResponse<byte[]> r) {
        return (JsonObject) json(r).get("signed");
    }

    private static JsonObject json(HttpResponse<byte[]> r) {
        return (JsonObject) Json.parse(r.body(), "response");
    }

    private static String string(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof JsonValue.JsonString s ? s.value() : null;
    }

    private static long number(JsonObject o, String name) {
        return ((JsonValue.JsonNumber) o.get(name)).value().longValueExact();
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
