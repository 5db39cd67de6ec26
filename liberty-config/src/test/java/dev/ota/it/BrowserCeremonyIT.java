package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.json.JsonValue.JsonString;
import java.io.File;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
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

/**
 * A full 2-of-3 root rotation signed in the browser (issue 15): three security officers, each in their own headless
 * Chromium, open the proposal, read its diff, and sign with their private key (from a file, or pasted) through
 * WebCrypto: ed25519, ECDSA P-256 and ed25519; then root 2 is published and tuf-js, trusting only root 1, refreshes
 * through it. Then the same for top-level targets: root 3 gives targets to 2 of 3 officers' targets keys, two sign the
 * targets version that goes with it on the Targets keys page, and tuf-js refreshes through root 3. Chromium's network
 * log records every request of the ceremonies, and none carries key material.
 * Runs on a server of its own (failsafe execution it-ceremony-browser): it replaces the repository's root.
 */
@ExtendWith(ArquillianExtension.class)
class BrowserCeremonyIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private final Http http = new Http();
    private final ServerClock serverClock = new ServerClock();
    private final String base = "https://127.0.0.1:" + System.getProperty("ota.it.https.port", "9543");

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    private record Officer(String name, String password, SigningKey key, Path pemFile, String pem) {
    }

    /** One request as Chromium sent it: address and body (form fields decoded). */
    private record SentRequest(String url, String body) {
    }

    @Test
    void threeOfficersRotateRootTwoOfThreeInTheirBrowsersAndNoRequestCarriesAPrivateKey() throws Exception {
        // Arrange: three officers and their key files; alice proposes root 2 = 2 of their 3 keys.
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path work = Files.createTempDirectory("browser-ceremony-");
        List<Officer> officers = List.of(officer(work, "alice-" + run, KeyType.ED25519),
                officer(work, "bob-" + run, KeyType.ECDSA_P256), officer(work, "carol-" + run, KeyType.ED25519));
        byte[] rootOne = http.get("/metadata/1.root.json").body();
        StringBuilder keys = new StringBuilder();
        for (Officer o : officers) {
            keys.append(keys.length() == 0 ? "" : ",").append("{\"publicKey\":\"-----BEGIN PUBLIC KEY-----\\n")
                    .append(Base64.getEncoder().encodeToString(o.key().jcaPublicKey().getEncoded()))
                    .append("\\n-----END PUBLIC KEY-----\\n\",\"holder\":\"").append(o.name()).append("\"}");
        }
        HttpResponse<byte[]> proposed = Https.postJson("/portal/api/v1/root/proposals",
                "{\"roles\":{\"root\":{\"threshold\":2,\"keys\":[" + keys + "]}}}", officers.get(0));
        assertEquals(201, proposed.statusCode(), Http.text(proposed));
        String id = ((JsonString) ((JsonObject) Json.parse(proposed.body(), "proposal")).get("id")).value();

        // Act: each officer signs in their own browser: alice and carol from their key file, bob pasted.
        List<SentRequest> sent = new ArrayList<>();
        for (int i = 0; i < officers.size(); i++) {
            Officer o = officers.get(i);
            WebDriver driver = newBrowser();
            try {
                PortalBrowserIT.LoginPage.open(driver, base).signIn(o.name(), o.password());
                driver.findElement(By.linkText("Root keys")).click();
                BrowserWait.of(driver, PortalBrowserIT.WAIT).until(ExpectedConditions.urlContains("/app/root-ceremony"));
                driver.findElement(By.linkText(id)).click();
                BrowserWait.of(driver, PortalBrowserIT.WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("signInBrowser")));
                PortalBrowserIT.assertPageWorks(driver);

                // Assert: the officer sees the diff before signing: holders by name, threshold 1 -> 2.
                String diff = driver.findElement(By.id("diff")).getText();
                for (Officer each : officers) assertTrue(diff.contains(each.name()), diff);
                assertTrue(diff.contains("1 → 2"), diff);

                signInTheBrowser(driver, o, i == 1);
                if (i == officers.size() - 1) {
                    WebElement publish = driver.findElement(By.id("publishForm:publish"));
                    publish.click();
                    BrowserWait.of(driver, PortalBrowserIT.WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                            By.id("messages"), "Root version 2 is published"));
                    PortalBrowserIT.assertPageWorks(driver);
                    assertEquals("PUBLISHED", driver.findElement(By.id("proposalState")).getText());
                }
            } finally {
                sent.addAll(requests(driver));
                driver.quit();
            }
        }

        // Assert: the network log holds the three signature uploads (so it recorded the ceremony) ...
        long uploads = sent.stream().filter(r -> r.body().contains("uploadForm:sig=")).count();
        assertEquals(3, uploads, "signature uploads recorded: " + sent.stream().map(SentRequest::url).toList());
        // ... and no request carries any officer's private key, in any encoding.
        for (Officer o : officers) {
            byte[] der = o.key().privateKey().getEncoded();
            String b64 = Base64.getEncoder().encodeToString(der);
            List<String> secrets = new ArrayList<>(List.of("PRIVATE KEY", b64, HexFormat.of().formatHex(der),
                    HexFormat.of().formatHex(java.util.Arrays.copyOfRange(der, der.length - 32, der.length))));
            for (String line : o.pem().split("\n")) {
                if (!line.startsWith("-----")) secrets.add(line.substring(0, Math.min(40, line.length())));
            }
            for (SentRequest r : sent) {
                for (String secret : secrets) {
                    assertFalse(r.url().contains(secret) || r.body().contains(secret),
                            "a request carried key material of " + o.name() + ": " + r.url());
                }
            }
        }

        // tuf-js, trusting only root 1, refreshes through root 2 held by the officers.
        Files.createDirectories(work.resolve("metadata"));
        Files.write(work.resolve("metadata").resolve("root.json"), rootOne);
        JsonObject tufJs = ItTufJs.refresh(work, List.of(), serverClock);
        assertEquals(JsonValue.of(true), tufJs.get("refreshed"), tufJs.toString());
        assertEquals(new JsonValue.JsonNumber(java.math.BigInteger.TWO), tufJs.get("rootVersion"), tufJs.toString());

        // The same ceremony for top-level targets: root 3 gives targets to 2 of the officers' 3 targets keys; they
        // sign root 3 through the API, and the targets version that goes with it in their browsers (alice from a
        // file, carol pasted) on the Targets keys page; root 3 and that targets version are then published together.
        List<Officer> targetsHolders = new ArrayList<>();
        StringBuilder targetsKeys = new StringBuilder();
        for (Officer o : officers) {
            SigningKey k = SigningKey.generate(o.key().type());
            String pem = ItCeremonies.pkcs8Pem(k);
            Path file = work.resolve(o.name() + "-targets.pem");
            Files.writeString(file, pem);
            targetsHolders.add(new Officer(o.name(), o.password(), k, file, pem));
            targetsKeys.append(targetsKeys.length() == 0 ? "" : ",").append(ItCeremonies.newKey(k, o.name()));
        }
        HttpResponse<byte[]> three = Https.postJson("/portal/api/v1/root/proposals", "{\"roles\":{\"targets\":"
                + "{\"threshold\":2,\"keys\":[" + targetsKeys + "]}}}", officers.get(0));
        assertEquals(201, three.statusCode(), Http.text(three));
        JsonObject rootThree = (JsonObject) Json.parse(three.body(), "proposal");
        String rootPath = "/portal/api/v1/root/proposals/" + ((JsonString) rootThree.get("id")).value();
        String targetsId = ((JsonString) rootThree.get("targetsProposalId")).value();
        byte[] rootBytes = ItCeremonies.canonicalBytes(Http.https(), rootPath, credentials(officers.get(0)));
        for (Officer o : officers.subList(0, 2)) {
            HttpResponse<byte[]> signed = Http.https().postJson(rootPath + "/signatures",
                    ItCeremonies.signature(o.key(), rootBytes), credentials(o));
            assertEquals(200, signed.statusCode(), Http.text(signed));
        }
        List<SentRequest> targetsSent = new ArrayList<>();
        for (Officer o : List.of(targetsHolders.get(0), targetsHolders.get(2))) {
            WebDriver driver = newBrowser();
            try {
                PortalBrowserIT.LoginPage.open(driver, base).signIn(o.name(), o.password());
                driver.findElement(By.linkText("Targets keys")).click();
                BrowserWait.of(driver, PortalBrowserIT.WAIT).until(ExpectedConditions.urlContains("/app/targets-ceremony"));
                driver.findElement(By.linkText(targetsId)).click();
                BrowserWait.of(driver, PortalBrowserIT.WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("signInBrowser")));
                PortalBrowserIT.assertPageWorks(driver);
                // The officer reads the delegations (unchanged, the server's release key) and who signs.
                String diff = driver.findElement(By.id("diff")).getText();
                assertTrue(diff.contains("unchanged") && diff.contains("server (online keystore)"), diff);
                String signers = driver.findElement(By.id("signers")).getText();
                for (Officer each : officers) assertTrue(signers.contains(each.name()), signers);
                signInTheBrowser(driver, o, o == targetsHolders.get(2));
            } finally {
                targetsSent.addAll(requests(driver));
                driver.quit();
            }
        }
        assertEquals(2, targetsSent.stream().filter(r -> r.body().contains("uploadForm:sig=")).count());
        for (Officer o : targetsHolders) {
            String b64 = Base64.getEncoder().encodeToString(o.key().privateKey().getEncoded());
            for (SentRequest r : targetsSent) {
                assertFalse(r.body().contains("PRIVATE KEY") || r.body().contains(b64) || r.url().contains(b64),
                        "a request carried the targets key of " + o.name());
            }
        }
        HttpResponse<byte[]> published = Http.https().send("POST", rootPath + "/publish", credentials(officers.get(1)));
        assertEquals(200, published.statusCode(), Http.text(published));
        assertEquals("PUBLISHED", ((JsonString) ((JsonObject) Json.parse(Http.https().get("/portal/api/v1/targets/proposals/"
                + targetsId, credentials(officers.get(1))).body(), "targets proposal")).get("state")).value());
        JsonObject refreshed = ItTufJs.refresh(work, List.of(), serverClock);
        assertEquals(JsonValue.of(true), refreshed.get("refreshed"), refreshed.toString());
        assertEquals(new JsonValue.JsonNumber(java.math.BigInteger.valueOf(3)), refreshed.get("rootVersion"), refreshed.toString());
    }

    /** The officer's key given to the page (pasted, or as a file), signed with and the signature uploaded. */
    private static void signInTheBrowser(WebDriver driver, Officer o, boolean pasted) {
        if (pasted) {
            driver.findElement(By.id("keyPem")).sendKeys(o.pem());
        } else {
            driver.findElement(By.id("keyFile")).sendKeys(o.pemFile().toString());
        }
        WebElement button = driver.findElement(By.id("signInBrowser"));
        button.click();
        BrowserWait.of(driver, PortalBrowserIT.WAIT).until(PortalBrowserIT.replaced(button));
        BrowserWait.of(driver, PortalBrowserIT.WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("messages"), "Signature of key"));
        PortalBrowserIT.assertPageWorks(driver);
    }

    private static String[] credentials(Officer o) {
        return Http.basic(o.name(), o.password());
    }

    private Officer officer(Path dir, String name, KeyType type) throws Exception {
        String password = ItAccounts.createWithPassword(http, name, "security-officer");
        SigningKey key = SigningKey.generate(type);
        String pem = ItCeremonies.pkcs8Pem(key);
        Path file = dir.resolve(name + ".pem");
        Files.writeString(file, pem);
        return new Officer(name, password, key, file, pem);
    }

    /** Headless Chromium as PortalBrowserIT drives it, with its network log on. */
    private static WebDriver newBrowser() {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "needs Debian's chromium and chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic");
        options.setAcceptInsecureCerts(true);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
    }

    /**
     * Every request Chromium sent, from its DevTools network events (Network.requestWillBeSent). Read with
     * Selenium's JSON reader: the events carry fractional timestamps, which tuf-core's parser refuses on purpose.
     */
    @SuppressWarnings("unchecked")
    private static List<SentRequest> requests(WebDriver driver) {
        List<SentRequest> out = new ArrayList<>();
        org.openqa.selenium.json.Json json = new org.openqa.selenium.json.Json();
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            Map<String, Object> logged = json.toType(e.getMessage(), Map.class);
            Map<String, Object> message = (Map<String, Object>) logged.get("message");
            if (!"Network.requestWillBeSent".equals(message.get("method"))) continue;
            Map<String, Object> request = (Map<String, Object>) ((Map<String, Object>) message.get("params")).get("request");
            StringBuilder body = new StringBuilder();
            if (request.get("postData") instanceof String s) body.append(s);
            if (request.get("postDataEntries") instanceof List<?> entries) {
                for (Object entry : entries) {
                    if (((Map<String, Object>) entry).get("bytes") instanceof String b) {
                        body.append('\n').append(new String(Base64.getDecoder().decode(b), StandardCharsets.UTF_8));
                    }
                }
            }
            String raw = body.toString();
            String decoded;
            try {
                decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notForm) {
                decoded = raw;
            }
            out.add(new SentRequest(String.valueOf(request.get("url")), raw + "\n" + decoded));
        }
        return out;
    }

    /** The management API over HTTPS as an officer. */
    private static final class Https {
        static HttpResponse<byte[]> postJson(String path, String json, Officer as) {
            return Http.https().postJson(path, json, Http.basic(as.name(), as.password()));
        }
    }
}
