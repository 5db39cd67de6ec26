package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.ExpiredMetadataException;
import dev.ota.tuf.client.HttpFetcher;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Targets;
import java.io.File;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Embedded mode with short validities (failsafe execution it-tufjs: root PT40S, top-level targets
 * PT30S, timestamp PT20S, a check every 2 s): the server alone renews root (as version N+1, same
 * keys) and top-level targets once they near or pass expiry (in virtual time: the test moves the
 * server's clock forward instead of waiting), so a TUF client that ships with root 1 keeps
 * updating after root 1 and targets 1 expired; the readiness check and the status API report it.
 */
@ExtendWith(ArquillianExtension.class)
class MetadataExpiryIT {
    private final Http http = new Http();
    private final ServerClock serverClock = new ServerClock();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    @Test
    void serverRenewsRootAndTargetsAloneAndAClientTrustingRootOneRefreshesAcrossTheirExpiry() throws Exception {
        // Arrange: the client trusts only root 1.
        byte[] rootOneBytes = http.get("/metadata/1.root.json").body();
        Root rootOne = Signed.parse(rootOneBytes, Root.class, "1.root.json").signed();
        Targets targetsOne = Signed.parse(http.get("/metadata/1.targets.json").body(), Targets.class, "1.targets.json")
                .signed();
        assertTrue(Duration.between(Instant.now(), rootOne.expires()).toSeconds() < 60,
                "the IT server should sign 40-second roots, root 1 expires " + rootOne.expires());
        Path metadata = Files.createTempDirectory("expiry-it-");
        Files.write(metadata.resolve("root.json"), rootOneBytes);

        // Act: move the server's clock (and the client's) past the expiry of root 1 and targets 1, then
        // refresh as a device would, once the server's expiry watch (every 2 s) has seen the new time.
        Instant bothExpired = (rootOne.expires().isAfter(targetsOne.expires()) ? rootOne.expires() : targetsOne.expires())
                .plusSeconds(1);
        Duration shift = Duration.ofSeconds(Math.max(1, Duration.between(serverClock.clock().instant(), bothExpired).toSeconds() + 1));
        serverClock.advance(shift);
        Clock shifted = serverClock.clock();
        Updater updater = refreshedWhenRenewed(metadata, shifted);

        // Assert: the client walked the root chain to a renewed root with root 1's keys, and loaded a
        // renewed top-level targets; nothing it trusts is expired.
        Root trustedRoot = updater.trusted().root().signed();
        Targets trustedTargets = updater.trusted().targets("targets").orElseThrow().signed();
        Instant now = shifted.instant();
        assertTrue(trustedRoot.version() > 1, "root version " + trustedRoot.version());
        assertTrue(trustedRoot.expires().isAfter(now));
        assertEquals(rootOne.keys(), trustedRoot.keys());
        assertEquals(rootOne.roles(), trustedRoot.roles());
        assertTrue(trustedTargets.version() > 1, "targets version " + trustedTargets.version());
        assertTrue(trustedTargets.expires().isAfter(now));
        assertEquals(targetsOne.delegations(), trustedTargets.delegations());
        assertTrue(Files.isRegularFile(metadata.resolve("root.json")));

        // The readiness check: UP, every role re-signed by this server, no warning, no key ids.
        HttpResponse<byte[]> ready = http.get("/health/ready");
        assertEquals(200, ready.statusCode(), Http.text(ready));
        JsonValue.JsonObject check = expiryCheck(ready.body());
        assertEquals(JsonValue.of("UP"), check.get("status"));
        JsonValue.JsonObject data = (JsonValue.JsonObject) check.get("data");
        for (String role : new String[] {"root", "targets", "snapshot", "timestamp", "releases-*"}) {
            assertEquals(JsonValue.of(true), data.get(role + ".serverCanResign"), role + " in " + data);
        }
        assertNull(data.get("warning"), data.toString());
        for (String keyId : rootOne.keys().keySet()) {
            assertFalse(Http.text(ready).contains(keyId), "the public health answer names no key id");
        }

        // The status API says the same, per role.
        HttpResponse<byte[]> status = http.get("/portal/api/v1/repository", ItAccounts.admin(http));
        assertEquals(200, status.statusCode(), Http.text(status));
        JsonValue.JsonObject body = (JsonValue.JsonObject) Json.parse(status.body(), "status");
        assertEquals(JsonValue.JsonArray.class, body.get("warnings").getClass(), body.toString());
        assertTrue(((JsonValue.JsonArray) body.get("warnings")).elements().isEmpty(), body.toString());
        for (JsonValue v : ((JsonValue.JsonArray) body.get("roles")).elements()) {
            JsonValue.JsonObject role = (JsonValue.JsonObject) v;
            assertEquals(JsonValue.of(true), role.get("serverCanResign"), role.toString());
        }
    }

    /**
     * A client refresh as soon as the server has renewed what expired: until its watch runs, the server still
     * serves the expired files and a correct client refuses them.
     */
    private static Updater refreshedWhenRenewed(Path metadata, Clock clock) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(30);
        while (true) {
            Updater updater = new Updater(URI.create("http://127.0.0.1:" + System.getProperty("ota.it.http.port") + "/metadata/"),
                    metadata, new HttpFetcher(), clock, UpdaterConfig.defaults());
            try {
                updater.refresh();
                return updater;
            } catch (ExpiredMetadataException e) {
                if (Instant.now().isAfter(giveUp)) {
                    throw new AssertionError("the server did not renew expired metadata within 30 s", e);
                }
                Thread.sleep(250);
            }
        }
    }

    private static JsonValue.JsonObject expiryCheck(byte[] health) {
        JsonValue.JsonObject all = (JsonValue.JsonObject) Json.parse(health, "/health/ready");
        for (JsonValue c : ((JsonValue.JsonArray) all.get("checks")).elements()) {
            JsonValue.JsonObject check = (JsonValue.JsonObject) c;
            if (JsonValue.of("tuf-metadata-expiry").equals(check.get("name"))) {
                return check;
            }
        }
        throw new AssertionError("no tuf-metadata-expiry check in " + all);
    }
}
