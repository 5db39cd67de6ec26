package dev.ota.it;

import static dev.ota.it.ItCeremonies.assertRefused;
import static dev.ota.it.ItCeremonies.canonicalBytes;
import static dev.ota.it.ItCeremonies.expect;
import static dev.ota.it.ItCeremonies.json;
import static dev.ota.it.ItCeremonies.newKey;
import static dev.ota.it.ItCeremonies.number;
import static dev.ota.it.ItCeremonies.ok;
import static dev.ota.it.ItCeremonies.run;
import static dev.ota.it.ItCeremonies.signOffline;
import static dev.ota.it.ItCeremonies.signature;
import static dev.ota.it.ItCeremonies.string;
import static dev.ota.it.ItCeremonies.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.client.HttpFetcher;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UpdaterConfig;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Offline top-level targets (issue 15): a root ceremony gives targets to 2 of 3 officers' keys, and from then on every
 * targets version is signed by them in a ceremony of its own, over the management API, one signature made by the
 * command-line signer; tuf-js and tuf-core's client (trusting only root 1) verify the repository throughout, and no
 * targets version signed by the server's online key is ever served again. Runs on a server of its own (failsafe
 * execution it-ceremony-targets): it replaces the root, and RootCeremonyIT needs root 1.
 */
@ExtendWith(ArquillianExtension.class)
class TargetsCeremonyIT {
    private static final String ROOT = "/portal/api/v1/root";
    private static final String TARGETS = "/portal/api/v1/targets";
    private final Http http = new Http();
    private final ServerClock serverClock = new ServerClock();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    /** An officer: account credentials, and the root and targets private keys only they hold. */
    private record Officer(String name, String[] credentials, SigningKey rootKey, SigningKey targetsKey) {
    }

    @Test
    void twoOfThreeOfficersSignEveryTargetsVersionAndClientsTrustingRootOneStillVerifyTheRepository() throws Exception {
        // Arrange: three officers, a release published while targets is online, clients shipped with root 1.
        String run = run();
        Officer alice = officer("alice-" + run, KeyType.ED25519);
        Officer bob = officer("bob-" + run, KeyType.ECDSA_P256);
        Officer carol = officer("carol-" + run, KeyType.ED25519);
        String[] releaseManager = Http.basic("rm-" + run, ItAccounts.createWithPassword(http, "rm-" + run, "release-manager"));
        String before = release(releaseManager, "firmware/targets-ceremony/" + run + "-a.bin");
        byte[] rootOne = ok(http.get("/metadata/1.root.json")).body();
        assertEquals(1, number(json(ok(http.get(ROOT, alice.credentials()))), "version"), "root 1 is still served");
        String onlineTargetsKey = root(1).keyIds("targets").get(0);
        Set<String> officersTargetsKeys = Set.of(alice.targetsKey().keyId(), bob.targetsKey().keyId(),
                carol.targetsKey().keyId());
        // While the server signs targets online there is nothing for officers to sign.
        assertRefused(409, "ceremony.targets-online", http.postJson(TARGETS + "/proposals", "{}", alice.credentials()));

        // Act 1: root 2 = root and targets each 2 of the 3 officers' keys; the targets proposal that goes with it.
        JsonObject rootProposal = json(expect(201, http.postJson(ROOT + "/proposals", "{\"roles\":{"
                + "\"root\":{\"threshold\":2,\"keys\":[" + keys(alice.rootKey(), bob.rootKey(), carol.rootKey(), alice, bob, carol)
                + "]},\"targets\":{\"threshold\":2,\"keys\":[" + keys(alice.targetsKey(), bob.targetsKey(), carol.targetsKey(),
                alice, bob, carol) + "]}}}", alice.credentials())));
        String rootPath = ROOT + "/proposals/" + string(rootProposal, "id");
        String targetsId = string(rootProposal, "targetsProposalId");
        String withRoot = TARGETS + "/proposals/" + targetsId;
        JsonObject linked = json(ok(http.get(withRoot, bob.credentials())));
        assertEquals(2, number(linked, "rootVersion"), "signed by root 2's targets keys");
        assertEquals(2, number((JsonObject) linked.get("threshold"), "threshold"));
        byte[] rootBytes = canonicalBytes(http, rootPath, alice.credentials());
        ok(http.postJson(rootPath + "/signatures", signature(alice.rootKey(), rootBytes), alice.credentials()));
        ok(http.postJson(rootPath + "/signatures", signature(bob.rootKey(), rootBytes), bob.credentials()));
        byte[] targetsBytes = canonicalBytes(http, withRoot, alice.credentials());
        ok(http.postJson(withRoot + "/signatures", signature(alice.targetsKey(), targetsBytes), alice.credentials()));

        // Assert: one targets signature is below the threshold: root 2 is not published without its targets.
        assertRefused(409, "ceremony.threshold-not-met", http.send("POST", rootPath + "/publish", alice.credentials()));
        assertEquals(404, http.get("/metadata/2.root.json").statusCode(), "nothing published yet");
        assertRefused(409, "ceremony.with-root", http.send("POST", withRoot + "/publish", alice.credentials()));
        // Refusals, each audited and changing nothing.
        assertRefused(400, "ceremony.bad-signature", http.postJson(withRoot + "/signatures",
                signature(bob.targetsKey(), "{\"other\":\"bytes\"}".getBytes(StandardCharsets.UTF_8)), bob.credentials()));
        assertRefused(400, "ceremony.unknown-key", http.postJson(withRoot + "/signatures",
                signature(bob.rootKey(), targetsBytes), bob.credentials()));
        assertRefused(403, "ceremony.not-holder", http.postJson(withRoot + "/signatures",
                signature(bob.targetsKey(), targetsBytes), carol.credentials()));
        assertRefused(409, "ceremony.already-signed", http.postJson(withRoot + "/signatures",
                signature(alice.targetsKey(), targetsBytes), alice.credentials()));
        assertTrue(ItAudit.has(http, "targets.sign", e -> e.outcome().equals("DENIED")
                && e.subject().equals(targetsId) && e.detail().startsWith("ceremony.bad-signature")));
        assertTrue(ItAudit.has(http, "root.publish", e -> e.outcome().equals("DENIED")
                && e.detail().startsWith("ceremony.threshold-not-met")));

        // Bob signs the targets proposal with the command-line signer; root 2 and targets N+1 are published together.
        ok(http.postJson(withRoot + "/signatures", signOffline(http, withRoot, bob.credentials(), bob.targetsKey()),
                bob.credentials()));
        assertEquals("PUBLISHED", string(json(ok(http.send("POST", rootPath + "/publish", carol.credentials()))), "state"));
        assertEquals("PUBLISHED", string(json(ok(http.get(withRoot, carol.credentials()))), "state"));
        int offlineFrom = number(linked, "version");
        Served root2 = root(2);
        assertEquals(officersTargetsKeys, Set.copyOf(root2.keyIds("targets")));
        assertEquals(2, root2.threshold("targets"));
        assertEquals(offlineFrom, targetsVersion());
        assertSignedBy(offlineFrom, Set.of(alice.targetsKey().keyId(), bob.targetsKey().keyId()));

        // The server goes on publishing releases (its online bins); it refuses a new key for them: that needs targets
        // N+1, which only the officers sign.
        String after = release(releaseManager, "firmware/targets-ceremony/" + run + "-b.bin");
        assertEquals(offlineFrom, targetsVersion(), "a release changes only a bin");
        String releasesKey = delegatedKeyIds().iterator().next();
        HttpResponse<byte[]> rotate = http.send("POST", "/portal/api/v1/keys/image/releases/" + releasesKey + "/rotate",
                alice.credentials());
        assertRefused(409, "keys.targets-offline", rotate);
        assertTrue(string(json(rotate), "message").contains("targets ceremony is required"), Http.text(rotate));
        assertEquals(offlineFrom, targetsVersion());

        // Act 2: a targets ceremony of its own: alice proposes a new expiry; one signature does not publish.
        Instant expires = serverClock.clock().instant().plus(Duration.ofDays(200)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JsonObject proposal = json(expect(201, http.postJson(TARGETS + "/proposals", "{\"expires\":\"" + expires
                + "\",\"reason\":\"yearly renewal\"}", alice.credentials())));
        String path = TARGETS + "/proposals/" + string(proposal, "id");
        JsonObject diff = (JsonObject) proposal.get("diff");
        assertEquals(expires, Instant.parse(string(diff, "expiresAfter")));
        assertEquals(offlineFrom + 1, number(diff, "versionAfter"));
        JsonObject delegation = (JsonObject) ((JsonArray) diff.get("delegations")).elements().get(0);
        assertEquals("unchanged", string(delegation, "change"));
        assertEquals(delegatedKeyIds(), Set.copyOf(strings((JsonArray) delegation.get("kept"), "keyId")));
        assertEquals(List.of("server (online keystore)"), strings((JsonArray) delegation.get("kept"), "holder"));
        byte[] bytes = canonicalBytes(http, path, alice.credentials());
        ok(http.postJson(path + "/signatures", signature(alice.targetsKey(), bytes), alice.credentials()));
        assertRefused(409, "ceremony.threshold-not-met", http.send("POST", path + "/publish", alice.credentials()));
        assertEquals(offlineFrom, targetsVersion(), "one signature below the threshold publishes nothing");
        assertRefused(400, "ceremony.bad-signature", http.postJson(path + "/signatures",
                signature(carol.targetsKey(), rootBytes), carol.credentials()));
        assertTrue(ItAudit.has(http, "targets.publish", e -> e.outcome().equals("DENIED")
                && e.detail().startsWith("ceremony.threshold-not-met")));
        JsonObject signed = json(ok(http.postJson(path + "/signatures", signOffline(http, path, carol.credentials(),
                carol.targetsKey()), carol.credentials())));
        assertEquals(JsonValue.of(true), signed.get("publishable"));
        assertEquals("PUBLISHED", string(json(ok(http.send("POST", path + "/publish", bob.credentials()))), "state"));

        // Assert: targets N+1 with the new expiry, signed by alice and carol only, and a new snapshot listing it.
        assertEquals(offlineFrom + 1, targetsVersion());
        assertSignedBy(offlineFrom + 1, Set.of(alice.targetsKey().keyId(), carol.targetsKey().keyId()));
        assertTrue(ItAudit.has(http, "targets.publish", e -> e.outcome().equals("SUCCESS")
                && e.actor().equals(bob.name())));
        assertRefused(409, "ceremony.published", http.postJson(path + "/signatures",
                signature(bob.targetsKey(), bytes), bob.credentials()));

        // tuf-core's client (the agent's) and tuf-js, trusting only root 1, walk to root 2 and find both releases.
        Path tufCore = Files.createTempDirectory("targets-ceremony-tufcore-");
        Files.write(tufCore.resolve("root.json"), rootOne);
        Updater client = new Updater(URI.create(ItImageRepository.base() + "/metadata/"), tufCore, new HttpFetcher(),
                serverClock.clock(), UpdaterConfig.defaults());
        client.refresh();
        assertEquals(2, client.trusted().root().signed().version());
        assertEquals(offlineFrom + 1, client.trusted().targets("targets").orElseThrow().signed().version());
        assertNotNull(client.findTarget(before));
        assertNotNull(client.findTarget(after));
        Path tufJs = Files.createTempDirectory("targets-ceremony-tufjs-");
        Files.createDirectories(tufJs.resolve("metadata"));
        Files.write(tufJs.resolve("metadata").resolve("root.json"), rootOne);
        JsonObject js = ItTufJs.refresh(tufJs, List.of(before, after), serverClock);
        assertEquals(JsonValue.of(true), js.get("refreshed"), js.toString());
        assertEquals(2, number(js, "rootVersion"));
        for (String t : List.of(before, after)) {
            assertEquals(JsonValue.of(true), ((JsonObject) ((JsonObject) js.get("targets")).get(t)).get("found"), js.toString());
        }

        // When targets nears its expiry the server, which re-signs snapshot and timestamp, does not sign targets: it
        // proposes targets N+1 for the officers (the server's clock moved to 10 days before the expiry).
        int served = targetsVersion();
        Instant targetsExpires = Instant.parse(((JsonValue.JsonString) signedOf(ok(http.get("/metadata/" + served
                + ".targets.json")).body()).get("expires")).value());
        serverClock.advance(Duration.between(serverClock.clock().instant(), targetsExpires.minus(Duration.ofDays(10))));
        JsonObject renewal = renewalProposal(alice, served + 1);
        assertTrue(string(renewal, "reason").contains("renewal margin"), renewal.toString());
        assertEquals(served, targetsVersion(), "proposed, not signed by the server");

        // No targets version since root 2 was ever signed by the server's (retired) online targets key.
        for (int v = offlineFrom; v <= targetsVersion(); v++) {
            Set<String> by = signers(v);
            assertFalse(by.contains(onlineTargetsKey), "targets " + v + " signed online");
            assertTrue(officersTargetsKeys.containsAll(by), "targets " + v + " signed by " + by);
        }
    }

    /** The pending proposal the server made by itself for targets {@code version}, once its renewal check ran. */
    private JsonObject renewalProposal(Officer officer, int version) throws InterruptedException {
        // The check runs every 2 seconds on this server (OTA_REFRESH_CHECK_SECONDS): wait for it, boundedly.
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            for (JsonValue v : ((JsonArray) json(ok(http.get(TARGETS + "/proposals", officer.credentials())))
                    .get("proposals")).elements()) {
                JsonObject p = (JsonObject) v;
                if (string(p, "proposedBy").equals("system") && string(p, "state").equals("PENDING")
                        && number(p, "version") == version) {
                    return p;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the server proposed no targets version " + version + " before its expiry");
    }

    // --- helpers

    private Officer officer(String name, KeyType type) {
        return new Officer(name, Http.basic(name, ItAccounts.createWithPassword(http, name, "security-officer")),
                SigningKey.generate(type), SigningKey.generate(type));
    }

    private static String keys(SigningKey a, SigningKey b, SigningKey c, Officer ha, Officer hb, Officer hc) {
        return newKey(a, ha.name()) + "," + newKey(b, hb.name()) + "," + newKey(c, hc.name());
    }

    /** Uploads and publishes a small release; its target path. */
    private String release(String[] releaseManager, String target) {
        expect(201, http.sendBytes("POST", "/portal/api/v1/releases?path=" + target + "&version=1.0&hardwareId=gw-a",
                ("image " + target).getBytes(StandardCharsets.UTF_8), releaseManager));
        return target;
    }

    /** A served root's signed object. */
    private record Served(JsonObject signed) {
        List<String> keyIds(String role) {
            JsonObject r = (JsonObject) ((JsonObject) signed.get("roles")).get(role);
            return ((JsonArray) r.get("keyids")).elements().stream().map(v -> ((JsonValue.JsonString) v).value()).toList();
        }

        int threshold(String role) {
            return number((JsonObject) ((JsonObject) signed.get("roles")).get(role), "threshold");
        }
    }

    private Served root(int version) {
        return new Served(signedOf(ok(http.get("/metadata/" + version + ".root.json")).body()));
    }

    /** The top-level targets version the current snapshot lists. */
    private int targetsVersion() {
        return ((JsonValue.JsonNumber) ItImageRepository.listing(http).get("targets.json")).value().intValueExact();
    }

    /** The key ids top-level targets delegates to (the server's online release keys). */
    private Set<String> delegatedKeyIds() {
        JsonObject targets = signedOf(ok(http.get("/metadata/" + targetsVersion() + ".targets.json")).body());
        return Set.copyOf(((JsonObject) ((JsonObject) targets.get("delegations")).get("keys")).members().keySet());
    }

    private Set<String> signers(int targetsVersion) {
        JsonObject file = (JsonObject) Json.parse(ok(http.get("/metadata/" + targetsVersion + ".targets.json")).body(), "targets");
        Set<String> ids = new HashSet<>();
        for (JsonValue s : ((JsonArray) file.get("signatures")).elements()) ids.add(string((JsonObject) s, "keyid"));
        return ids;
    }

    private void assertSignedBy(int targetsVersion, Set<String> keyIds) {
        assertEquals(keyIds, signers(targetsVersion), "targets " + targetsVersion + " signatures");
    }

    private static JsonObject signedOf(byte[] metadata) {
        return (JsonObject) ((JsonObject) Json.parse(metadata, "metadata")).get("signed");
    }
}
