package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The expiry alarm ahead of a role's expiry, at the warning time configured for this server (failsafe execution
 * it-keys: OTA_EXPIRY_WARN_ROOT=P60D, above root's 30-day re-signing margin): with the server's clock moved to 45
 * days before root expires, the status API, the readiness check and the log all warn of root, while the server
 * stays ready and renews nothing yet.
 */
@ExtendWith(ArquillianExtension.class)
class ExpiryAlarmIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private final Http http = new Http();
    private final ServerClock serverClock = new ServerClock();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    /** Only on the it-keys server: these tests change the served roots and move the server's time by weeks. */
    @BeforeEach
    void onTheKeysServerOnly() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("ota.it.keys.server"),
                "runs in the failsafe execution it-keys");
    }

    @Test
    void rootInsideItsConfiguredWarningTimeIsWarnedOfInStatusReadinessAndLog() throws Exception {
        // Arrange: the newest root and its expiry.
        String[] admin = ItAccounts.admin(http);
        long v = 1;
        while (http.get("/metadata/" + (v + 1) + ".root.json").statusCode() == 200) {
            v++;
        }
        Root root = Signed.parse(http.get("/metadata/" + v + ".root.json").body(), Root.class, "root").signed();

        // Act: 45 days before root expires (inside the 60-day warning time, outside the 30-day margin).
        Duration shift = Duration.between(serverClock.clock().instant(), root.expires().minus(Duration.ofDays(45)));
        if (!shift.isNegative()) {
            serverClock.advance(shift);
        }
        JsonValue.JsonObject rootStatus = rootStatusOnceWarned(admin);

        // Assert: the status API names the condition and the warning; nobody must sign (this server holds root).
        assertEquals(JsonValue.of("EXPIRING"), rootStatus.get("condition"), rootStatus.toString());
        assertTrue(string(rootStatus, "warning").startsWith("root expires at " + root.expires()), rootStatus.toString());
        assertFalse(rootStatus.has("signBy"), "the server renews root itself at its margin: " + rootStatus);
        // The readiness check: still UP (metadata is valid), with root's condition and the warning.
        HttpResponse<byte[]> ready = http.get("/health/ready");
        assertEquals(200, ready.statusCode(), Http.text(ready));
        JsonValue.JsonObject data = expiryCheckData(ready.body());
        assertEquals(JsonValue.of("EXPIRING"), data.get("root.condition"), data.toString());
        assertTrue(string(data, "warning").contains("root expires at " + root.expires()), data.toString());
        // The log: the watch's warning line names root.
        assertTrue(logShowsWithin("root expires at " + root.expires()), "the server log warns of root");
        // Root was not renewed: it is not due before its margin.
        assertEquals(404, http.get("/metadata/" + (v + 1) + ".root.json").statusCode());
    }

    /** Root's entry in the status API once the server has seen the new time and renewed what expired meanwhile. */
    private JsonValue.JsonObject rootStatusOnceWarned(String[] admin) throws InterruptedException {
        Instant giveUp = Instant.now().plus(PATIENCE);
        JsonValue.JsonObject last = null;
        while (Instant.now().isBefore(giveUp)) {
            HttpResponse<byte[]> r = http.get("/portal/api/v1/repository", admin);
            assertEquals(200, r.statusCode(), Http.text(r));
            JsonValue.JsonObject body = (JsonValue.JsonObject) Json.parse(r.body(), "status");
            boolean anyExpired = false;
            for (JsonValue role : ((JsonValue.JsonArray) body.get("roles")).elements()) {
                JsonValue.JsonObject o = (JsonValue.JsonObject) role;
                anyExpired |= JsonValue.of("EXPIRED").equals(o.get("condition"));
                if (JsonValue.of("root").equals(o.get("role"))) {
                    last = o;
                }
            }
            // The online roles expired in the jump are renewed by the next re-signing check (every 2 s here).
            if (!anyExpired && last != null && JsonValue.of("EXPIRING").equals(last.get("condition"))
                    && expiryCheckData(http.get("/health/ready").body()).has("root.condition")
                    && JsonValue.of("EXPIRING").equals(expiryCheckData(http.get("/health/ready").body()).get("root.condition"))) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("root was not reported EXPIRING within " + PATIENCE + ": " + last);
    }

    private static boolean logShowsWithin(String text) throws IOException, InterruptedException {
        Path log = Path.of(System.getProperty("wlp.home"), "usr", "servers", System.getProperty("ota.it.server.name"),
                "logs", "messages.log");
        Instant giveUp = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(giveUp)) {
            if (Files.isRegularFile(log) && new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8).contains(text)) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static JsonValue.JsonObject expiryCheckData(byte[] health) {
        JsonValue.JsonObject all = (JsonValue.JsonObject) Json.parse(health, "/health/ready");
        for (JsonValue c : ((JsonValue.JsonArray) all.get("checks")).elements()) {
            JsonValue.JsonObject check = (JsonValue.JsonObject) c;
            if (JsonValue.of("tuf-metadata-expiry").equals(check.get("name"))) {
                return (JsonValue.JsonObject) check.get("data");
            }
        }
        throw new AssertionError("no tuf-metadata-expiry check in " + all);
    }

    private static String string(JsonValue.JsonObject o, String field) {
        return o.get(field) instanceof JsonValue.JsonString s ? s.value() : "";
    }
}
