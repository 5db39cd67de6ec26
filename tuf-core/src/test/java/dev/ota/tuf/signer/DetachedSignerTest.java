package dev.ota.tuf.signer;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.Verifier;
import dev.ota.tuf.json.Json;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.metadata.DelegatedRole;
import dev.ota.tuf.metadata.Delegations;
import dev.ota.tuf.metadata.MetaFile;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.Snapshot;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.repository.TargetsCeremony;
import dev.ota.tuf.metadata.RoleMetadata;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.repository.RootCeremony;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachedSignerTest {
    @TempDir
    Path dir;

    static String pkcs8Pem(SigningKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(key.privateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    /** The canonical signed object of a root version 2 whose every role is {@code officer}'s key, 1 of 1. */
    static byte[] rootProposal(SigningKey officer) {
        Role role = new Role(List.of(officer.keyId()), 1, Map.of());
        Root root = new Root(RoleMetadata.SPEC_VERSION, 2, Instant.parse("2030-01-01T00:00:00Z"), true,
                Map.of(officer.keyId(), officer.publicKey()),
                Map.of("root", role, "timestamp", role, "snapshot", role, "targets", role), Map.of());
        return RootCeremony.signedBytes(root).toArray();
    }

    @Test
    void signsTheProposalBytesWithAnEd25519OrP256Pkcs8KeyAndPrintsTheSignatureToUpload() throws Exception {
        byte[] proposal = rootProposal(SigningKey.generate());
        Files.write(dir.resolve("proposal.bin"), proposal);
        for (KeyType type : new KeyType[] {KeyType.ED25519, KeyType.ECDSA_P256}) {
            SigningKey key = SigningKey.generate(type);
            Path pem = dir.resolve(type + ".pem");
            Files.writeString(pem, pkcs8Pem(key));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = DetachedSigner.run(new String[] {"--key", pem.toString(), "--bytes", dir.resolve("proposal.bin").toString(),
                    "--out", dir.resolve(type + ".sig.json").toString()}, new PrintStream(out), new PrintStream(err));

            assertEquals(0, status, err.toString());
            JsonValue.JsonObject sig = (JsonValue.JsonObject) Json.parse(out.toByteArray(), "out");
            assertEquals(JsonValue.of(key.keyId()), sig.get("keyid"));
            assertTrue(Verifier.verify(key.publicKey(), proposal, ((JsonValue.JsonString) sig.get("sig")).value()), type.toString());
            assertEquals(out.toString().strip(), Files.readString(dir.resolve(type + ".sig.json")).strip());
            assertTrue(err.toString().contains("signing root version 2"), "the officer is shown what is signed: " + err);
        }
    }

    @Test
    void refusesToSignBytesThatAreNotACanonicalRoot() throws Exception {
        SigningKey key = SigningKey.generate();
        Path pem = dir.resolve("officer.pem");
        Files.writeString(pem, pkcs8Pem(key));
        Files.write(dir.resolve("other.bin"), "{\"_type\":\"targets\",\"version\":2}".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = DetachedSigner.run(new String[] {"--key", pem.toString(), "--bytes", dir.resolve("other.bin").toString()},
                new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));

        assertEquals(2, status);
        assertEquals("", out.toString(), "no signature is printed");
    }

    /** The canonical signed object of a top-level targets version 3 delegating to one path role, 2 of 2 keys. */
    static byte[] targetsProposal(SigningKey releaseA, SigningKey releaseB) {
        DelegatedRole role = new DelegatedRole("releases", List.of(releaseA.keyId(), releaseB.keyId()), 2, true,
                Optional.of(List.of("firmware/*")), Optional.empty(), Map.of());
        Delegations d = new Delegations(Map.of(releaseA.keyId(), releaseA.publicKey(), releaseB.keyId(),
                releaseB.publicKey()), Optional.of(List.of(role)), Optional.empty(), Map.of());
        Targets targets = new Targets(RoleMetadata.SPEC_VERSION, 3, Instant.parse("2030-01-01T00:00:00Z"), Map.of(),
                Optional.of(d), Map.of());
        return TargetsCeremony.signedBytes(targets).toArray();
    }

    @Test
    void signsACanonicalTopLevelTargetsAndShowsItsDelegationsButRefusesASnapshot() throws Exception {
        SigningKey releaseA = SigningKey.generate();
        SigningKey releaseB = SigningKey.generate();
        byte[] proposal = targetsProposal(releaseA, releaseB);
        Files.write(dir.resolve("targets.bin"), proposal);
        SigningKey officer = SigningKey.generate(KeyType.ECDSA_P256);
        Path pem = dir.resolve("officer.pem");
        Files.writeString(pem, pkcs8Pem(officer));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = DetachedSigner.run(new String[] {"--key", pem.toString(), "--bytes", dir.resolve("targets.bin").toString()},
                new PrintStream(out), new PrintStream(err));

        assertEquals(0, status, err.toString());
        JsonValue.JsonObject sig = (JsonValue.JsonObject) Json.parse(out.toByteArray(), "out");
        assertTrue(Verifier.verify(officer.publicKey(), proposal, ((JsonValue.JsonString) sig.get("sig")).value()));
        assertTrue(err.toString().contains("signing top-level targets version 3"), err.toString());
        assertTrue(err.toString().contains("delegates 'releases': 2 of [" + releaseA.keyId() + ", " + releaseB.keyId()
                + "], paths [firmware/*]"), err.toString());

        Snapshot snapshot = new Snapshot(RoleMetadata.SPEC_VERSION, 3, Instant.parse("2030-01-01T00:00:00Z"), Map.of(
                "targets.json", new MetaFile(3)), Map.of());
        Files.write(dir.resolve("snapshot.bin"), CanonicalJson.encode(snapshot.toJson()));
        ByteArrayOutputStream refusedOut = new ByteArrayOutputStream();
        assertEquals(2, DetachedSigner.run(new String[] {"--key", pem.toString(), "--bytes",
                dir.resolve("snapshot.bin").toString()}, new PrintStream(refusedOut), new PrintStream(new ByteArrayOutputStream())));
        assertEquals("", refusedOut.toString(), "a snapshot is never signed");
    }

    @Test
    void refusesAKeyFileThatIsNotPkcs8WithoutQuotingIt() throws Exception {
        Path pem = dir.resolve("bad.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LXNlY3JldA==\n-----END PRIVATE KEY-----\n");
        Files.write(dir.resolve("p.bin"), rootProposal(SigningKey.generate()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = DetachedSigner.run(new String[] {"--key", pem.toString(), "--bytes", dir.resolve("p.bin").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));

        assertEquals(2, status);
        assertTrue(err.toString().contains("not an unencrypted PKCS#8 PEM") || err.toString().contains("key"), err.toString());
        assertFalse(err.toString().contains("c2VjcmV0"), err.toString());
    }
}
