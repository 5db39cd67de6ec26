package dev.ota.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.ota.it.ItCeremonies.assertRefused;
import static dev.ota.it.ItCeremonies.expect;
import static dev.ota.it.ItCeremonies.json;
import static dev.ota.it.ItCeremonies.number;
import static dev.ota.it.ItCeremonies.ok;
import static dev.ota.it.ItCeremonies.pem;
import static dev.ota.it.ItCeremonies.run;
import static dev.ota.it.ItCeremonies.signature;
import static dev.ota.it.ItCeremonies.string;
import static dev.ota.it.ItCeremonies.strings;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.JsonValue.JsonArray;
import dev.ota.tuf.json.JsonValue.JsonObject;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.trust.TrustedMetadataSet;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Root threshold ceremonies over the management API (issue 15): the embedded online root becomes an offline root
 * of 2 of 3 officers' keys, one signature made by the command-line signer, and tuf-js (trusting only root 1) and
 * tuf-core's client follow the chain; every refusal is tested and audited. Runs on a server of its own
 * (failsafe execution it-ceremony): it replaces the repository's root.
 */
@ExtendWith(ArquillianExtension.class)
class RootCeremonyIT {
    private static final String API = "/portal/api/v1/root";
    private final Http http = new Http();
    private final ServerClock serverClock = new ServerClock();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return ShrinkWrap.createFromZipFile(EnterpriseArchive.class, new File(System.getProperty("ota.ear.file")));
    }

    /** An officer: account credentials and the private key only they hold. */
    private record Officer(String name, String[] credentials, SigningKey key) {
    }

    @Test
    void twoOfThreeOfficersReplaceTheOnlineRootAndTufJsTrustingOnlyRootOneRefreshesThroughIt() throws Exception {
        // Arrange: three officers with their own keys (ed25519, ECDSA P-256, ed25519), a client shipped with root 1.
        String run = run();
        Officer alice = officer("alice-" + run, KeyType.ED25519);
        Officer bob = officer("bob-" + run, KeyType.ECDSA_P256);
        Officer carol = officer("carol-" + run, KeyType.ED25519);
        byte[] rootOne = http.get("/metadata/1.root.json").body();
        JsonObject current = json(ok(http.get(API, alice.credentials())));
        int n = number(current, "version");
        assertEquals(1, n, "this server's root has not been replaced yet");

        // Act: alice proposes root 2 = 2 of the 3 officers' keys; online roles keep theirs.
        JsonObject proposal = json(expect(201, http.postJson(API + "/proposals", "{\"roles\":{\"root\":{\"threshold\":2,"
                + "\"keys\":[" + newKey(alice) + "," + newKey(bob) + "," + newKey(carol) + "]}}}", alice.credentials())));
        String id = string(proposal, "id");
        String path = API + "/proposals/" + id;

        // Assert: a readable diff (keys by id and holder, thresholds), and the server's online root key already
        // counts for root 1's threshold.
        JsonObject rootChange = roleChange(proposal, "root");
        assertEquals(1, number(rootChange, "thresholdBefore"));
        assertEquals(2, number(rootChange, "thresholdAfter"));
        assertEquals(Set.of(alice.name(), bob.name(), carol.name()), Set.copyOf(strings(
                (JsonArray) rootChange.get("added"), "holder")));
        assertEquals(List.of("server (online keystore)"), strings((JsonArray) rootChange.get("removed"), "holder"));
        assertEquals(Set.of(alice.key().keyId(), bob.key().keyId(), carol.key().keyId()),
                Set.copyOf(strings((JsonArray) rootChange.get("added"), "keyId")));
        assertTrue(((JsonArray) roleChange(proposal, "timestamp").get("added")).elements().isEmpty());
        assertEquals(JsonValue.of(true), ((JsonObject) proposal.get("currentRoot")).get("met"));
        assertEquals(JsonValue.of(false), ((JsonObject) proposal.get("newRoot")).get("met"));
        byte[] canonical = canonicalBytes(path, alice);

        // Refusals, each audited and changing nothing: too few new signatures, other bytes, a key of neither
        // root, someone else's key, signing twice.
        assertRefused(409, "ceremony.threshold-not-met", http.send("POST", path + "/publish", alice.credentials()));
        ok(http.postJson(path + "/signatures", signature(alice.key(), canonical), alice.credentials()));
        assertRefused(409, "ceremony.threshold-not-met", http.send("POST", path + "/publish", alice.credentials()));
        assertRefused(409, "ceremony.already-signed",
                http.postJson(path + "/signatures", signature(alice.key(), canonical), alice.credentials()));
        assertRefused(400, "ceremony.bad-signature", http.postJson(path + "/signatures",
                signature(bob.key(), "{\"other\":\"bytes\"}".getBytes(StandardCharsets.UTF_8)), bob.credentials()));
        assertRefused(400, "ceremony.unknown-key", http.postJson(path + "/signatures",
                signature(SigningKey.generate(), canonical), bob.credentials()));
        assertRefused(403, "ceremony.not-holder",
                http.postJson(path + "/signatures", signature(bob.key(), canonical), carol.credentials()));
        assertTrue(ItAudit.has(http, "root.sign", e -> e.outcome().equals("DENIED")
                && e.detail().startsWith("ceremony.bad-signature")));
        assertTrue(ItAudit.has(http, "root.publish", e -> e.outcome().equals("DENIED")
                && e.detail().startsWith("ceremony.threshold-not-met") && e.subject().equals(id)));
        assertEquals(404, http.get("/metadata/2.root.json").statusCode(), "nothing published yet");

        // Carol signs with the command-line signer, from the API's answer saved to a file.
        Path work = Files.createTempDirectory("ceremony-");
        String carolsSignature = ItCeremonies.signOffline(http, path, carol.credentials(), carol.key());
        JsonObject afterCarol = json(ok(http.postJson(path + "/signatures", carolsSignature, carol.credentials())));
        assertEquals(JsonValue.of(true), afterCarol.get("publishable"));

        JsonObject published = json(ok(http.send("POST", path + "/publish", bob.credentials())));
        assertEquals("PUBLISHED", string(published, "state"));
        assertTrue(ItAudit.has(http, "root.publish", e -> e.outcome().equals("SUCCESS")
                && e.subject().equals(id) && e.actor().equals(bob.name())));

        // Assert: root 2 is served; tuf-core's client walks 1 -> 2 and accepts it.
        byte[] rootTwo = ok(http.get("/metadata/2.root.json")).body();
        TrustedMetadataSet client = new TrustedMetadataSet(rootOne, serverClock.clock().instant());
        client.updateRoot(rootTwo);
        assertEquals(Set.of(alice.key().keyId(), bob.key().keyId(), carol.key().keyId()),
                Set.copyOf(client.root().signed().role("root").keyIds()));
        assertEquals(2, client.root().signed().role("root").threshold());
        client.updateTimestamp(http.get("/metadata/timestamp.json").body());

        // The server still signs targets, snapshot and timestamp with its online keys: a new release is published.
        String target = "firmware/ceremony/" + run + ".bin";
        String[] releaseManager = Http.basic("rm-" + run, ItAccounts.createWithPassword(http, "rm-" + run, "release-manager"));
        expect(201, http.sendBytes("POST", "/portal/api/v1/releases?path=" + target + "&version=1.0&hardwareId=gw-a",
                ("image " + run).getBytes(StandardCharsets.UTF_8), releaseManager));

        // tuf-js, trusting only root 1, refreshes through root 2 and downloads the new release.
        Files.createDirectories(work.resolve("metadata"));
        Files.write(work.resolve("metadata").resolve("root.json"), rootOne);
        JsonObject tufJs = ItTufJs.refresh(work, List.of(target), serverClock);
        assertEquals(JsonValue.of(true), tufJs.get("refreshed"), tufJs.toString());
        assertEquals(2, number(tufJs, "rootVersion"));
        JsonObject found = (JsonObject) ((JsonObject) tufJs.get("targets")).get(target);
        assertEquals(JsonValue.of(true), found.get("found"), found.toString());

        // Root 3 from root 2: signatures of the new root's keys alone are too few: root 2's threshold (2 of the
        // officers) must be met as well, and the server's retired key no longer counts.
        Officer dave = officer("dave-" + run, KeyType.ED25519);
        JsonObject three = json(expect(201, http.postJson(API + "/proposals", "{\"roles\":{\"root\":{\"threshold\":1,"
                + "\"keys\":[" + newKey(dave) + "]}}}", dave.credentials())));
        String path3 = API + "/proposals/" + string(three, "id");
        assertTrue(((JsonArray) three.get("signatures")).elements().isEmpty(), "the server holds no key of root 2");
        byte[] canonical3 = canonicalBytes(path3, dave);
        ok(http.postJson(path3 + "/signatures", signature(dave.key(), canonical3), dave.credentials()));
        ok(http.postJson(path3 + "/signatures", signature(alice.key(), canonical3), alice.credentials()));
        assertRefused(409, "ceremony.threshold-not-met", http.send("POST", path3 + "/publish", dave.credentials()));
        assertEquals("PENDING", string(json(ok(http.get(path3, dave.credentials()))), "state"));
        assertEquals(404, http.get("/metadata/3.root.json").statusCode());
        ok(http.postJson(path3 + "/signatures", signature(bob.key(), canonical3), bob.credentials()));
        ok(http.send("POST", path3 + "/publish", dave.credentials()));
        // A client refreshing again from root 1 walks 1 -> 2 -> 3 (a trusted set takes roots before timestamp).
        TrustedMetadataSet again = new TrustedMetadataSet(rootOne, serverClock.clock().instant());
        again.updateRoot(rootTwo);
        again.updateRoot(ok(http.get("/metadata/3.root.json")).body());
        assertEquals(List.of(dave.key().keyId()), again.root().signed().role("root").keyIds());
        again.updateTimestamp(http.get("/metadata/timestamp.json").body());

        // The proposal for root 2 cannot be signed any more.
        assertRefused(409, "ceremony.published", http.postJson(path + "/signatures", signature(bob.key(), canonical),
                bob.credentials()));
    }

    @Test
    void aRoleWithFewerKeysThanItsThresholdIsRefusedAsUnreachable() {
        String run = run();
        Officer erin = officer("erin-" + run, KeyType.ED25519);

        HttpResponse<byte[]> r = http.postJson(API + "/proposals", "{\"roles\":{\"root\":{\"threshold\":2,"
                + "\"keys\":[" + newKey(erin) + "]}}}", erin.credentials());

        assertRefused(400, "ceremony.role-unreachable", r);
        assertRefused(400, "ceremony.invalid", http.postJson(API + "/proposals", "{\"roles\":{\"root\":{\"threshold\":1,"
                + "\"keys\":[{\"publicKey\":\"" + pem(erin.key()) + "\",\"holder\":\"nobody-" + run + "\"}]}}}",
                erin.credentials()));
        assertRefused(400, "ceremony.role-unreachable", http.postJson(API + "/proposals", "{\"roles\":{\"timestamp\":"
                + "{\"threshold\":1,\"keys\":[" + newKey(erin) + "]}}}", erin.credentials()));
        assertTrue(ItAudit.has(http, "root.propose", e -> e.actor().equals(erin.name())
                && e.outcome().equals("DENIED") && e.detail().startsWith("ceremony.role-unreachable")));
    }

    @Test
    void onlySecurityOfficersHoldCeremoniesAndTheRefusalIsAudited() {
        String run = run();
        String[] admin = ItAccounts.admin(http);
        String[] manager = Http.basic("rm-" + run, ItAccounts.createWithPassword(http, "rm-" + run, "release-manager"));

        assertRefused(403, "auth.forbidden", http.get(API, admin));
        assertRefused(403, "auth.forbidden", http.postJson(API + "/proposals", "{}", manager));

        assertTrue(ItAudit.has(http, "auth.forbidden", e -> e.actor().equals("rm-" + run)));
    }

    @Test
    void aSupersededOrExpiredProposalTakesNoMoreSignatures() {
        String run = run();
        Officer frank = officer("frank-" + run, KeyType.ED25519);
        Officer grace = officer("grace-" + run, KeyType.ECDSA_P256);
        String body = "{\"roles\":{\"root\":{\"threshold\":1,\"keys\":[" + newKey(frank) + "," + newKey(grace) + "]}}}";
        String first = API + "/proposals/" + string(json(expect(201, http.postJson(API + "/proposals", body,
                frank.credentials()))), "id");
        JsonObject secondProposal = json(expect(201, http.postJson(API + "/proposals", body, grace.credentials())));
        String second = API + "/proposals/" + string(secondProposal, "id");

        assertRefused(409, "ceremony.superseded", http.postJson(first + "/signatures",
                signature(frank.key(), canonicalBytes(first, frank)), frank.credentials()));
        assertEquals("SUPERSEDED", string(json(ok(http.get(first, frank.credentials()))), "state"));

        Instant openUntil = Instant.parse(string(secondProposal, "openUntil"));
        Duration past = Duration.between(serverClock.clock().instant(), openUntil).plusSeconds(5);
        if (!past.isNegative()) serverClock.advance(past);
        assertRefused(409, "ceremony.expired", http.postJson(second + "/signatures",
                signature(grace.key(), canonicalBytes(second, grace)), grace.credentials()));
        assertRefused(404, "ceremony.not-found", http.get(API + "/proposals/rp-none", grace.credentials()));
        assertTrue(ItAudit.has(http, "root.sign", e -> e.actor().equals(grace.name())
                && e.detail().startsWith("ceremony.expired")));
    }

    // --- helpers

    private Officer officer(String name, KeyType type) {
        return new Officer(name, Http.basic(name, ItAccounts.createWithPassword(http, name, "security-officer")),
                SigningKey.generate(type));
    }

    private static String newKey(Officer o) {
        return ItCeremonies.newKey(o.key(), o.name());
    }

    /** The bytes to sign, checked against their advertised SHA-256 and against the root they describe. */
    private byte[] canonicalBytes(String proposalPath, Officer o) {
        byte[] bytes = ItCeremonies.canonicalBytes(http, proposalPath, o.credentials());
        JsonObject answer = json(ok(http.get(proposalPath + "/signed", o.credentials())));
        Root root = Root.fromJson((JsonObject) Json.parse(dev.ota.tuf.json.CanonicalJson.toParsableJson(bytes), "proposal"), "proposal");
        assertEquals(number(answer, "version"), root.version());
        return bytes;
    }

    private static JsonObject roleChange(JsonObject proposal, String role) {
        for (JsonValue v : ((JsonArray) ((JsonObject) proposal.get("diff")).get("roles")).elements()) {
            if (JsonValue.of(role).equals(((JsonObject) v).get("role"))) return (JsonObject) v;
        }
        throw new AssertionError("no role " + role + " in the diff");
    }
}
