package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.PublicKeyImport;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.trust.TrustedMetadataSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.ota.tuf.repository.TestRepository.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RootCeremonyTest {
    private final TestRepository repo = TestRepository.withBins("releases", 4);
    private final SigningKey alice = SigningKey.generate();
    private final SigningKey bob = SigningKey.generate(KeyType.ECDSA_P256);
    private final SigningKey carol = SigningKey.generate();
    private final Instant now = T0.plus(Duration.ofDays(1));

    private Root current() {
        return repo.state().root().metadata();
    }

    private Root twoOfThree() {
        return new RootEdit(Optional.empty(), Map.of("root", new RootEdit.RoleEdit(
                List.of(alice.publicKey(), bob.publicKey(), carol.publicKey()), 2)))
                .apply(current(), now.plus(Duration.ofDays(365)), now);
    }

    @Test
    void twoOfThreeOfficersAndTheOldRootKeyMakeARootThatAClientTrustingVersionOneAccepts() {
        Root next = twoOfThree();
        Signed<Root> proposal = RootCeremony.proposal(RootCeremony.signedBytes(next));
        byte[] data = proposal.signedBytes().toArray();

        List<Signature> sigs = List.of(repo.rootKey.sign(data), alice.sign(data), bob.sign(data));
        RoleFile<Root> file = RootCeremony.publishable(current(), proposal, sigs);

        TrustedMetadataSet client = new TrustedMetadataSet(repo.state().root().bytes().toArray(), now);
        client.updateRoot(file.bytes().toArray());
        assertEquals(2, client.root().signed().version());
        assertEquals(Set.of(alice.keyId(), bob.keyId(), carol.keyId()), Set.copyOf(client.root().signed().role("root").keyIds()));
        assertEquals(current().role("timestamp"), next.role("timestamp"), "online roles keep their keys");
        assertTrue(next.keys().containsKey(repo.timestampKey.keyId()));
        assertFalse(next.keys().containsKey(repo.rootKey.keyId()), "the online root key is retired");
    }

    @Test
    void publishStaysRefusedUntilBothTheOldAndTheNewThresholdAreMet() {
        Signed<Root> proposal = RootCeremony.proposal(RootCeremony.signedBytes(twoOfThree()));
        byte[] data = proposal.signedBytes().toArray();

        var onlyNew = RootCeremony.tally(current(), proposal, List.of(alice.sign(data), bob.sign(data)));
        assertTrue(onlyNew.next().thresholdMet());
        assertFalse(onlyNew.previous().thresholdMet());
        assertThrows(InsufficientSigningKeysException.class,
                () -> RootCeremony.publishable(current(), proposal, List.of(alice.sign(data), bob.sign(data))));

        var tooFewNew = RootCeremony.tally(current(), proposal, List.of(repo.rootKey.sign(data), alice.sign(data)));
        assertTrue(tooFewNew.previous().thresholdMet());
        assertEquals(Set.of(alice.keyId()), tooFewNew.next().validKeyIds());
        assertFalse(tooFewNew.complete());
    }

    @Test
    void aSignatureOverOtherBytesDoesNotCount() {
        Signed<Root> proposal = RootCeremony.proposal(RootCeremony.signedBytes(twoOfThree()));
        byte[] other = "{\"_type\":\"root\"}".getBytes();

        assertFalse(RootCeremony.signs(alice.publicKey(), proposal.signedBytes(), alice.sign(other).sig()));
        assertTrue(RootCeremony.signs(alice.publicKey(), proposal.signedBytes(),
                alice.sign(proposal.signedBytes().toArray()).sig()));
    }

    @Test
    void onlyRootKeysOfTheOldOrTheNewRootAreCeremonyKeys() {
        Root next = twoOfThree();
        assertTrue(RootCeremony.rootKey(current(), next, repo.rootKey.keyId()).isPresent());
        assertTrue(RootCeremony.rootKey(current(), next, bob.keyId()).isPresent());
        assertTrue(RootCeremony.rootKey(current(), next, repo.timestampKey.keyId()).isEmpty(), "a timestamp key");
        assertTrue(RootCeremony.rootKey(current(), next, SigningKey.generate().keyId()).isEmpty());
    }

    @Test
    void aRoleLoweredBelowItsThresholdIsRefusedAsUnreachable() {
        RootEdit twoOfOne = new RootEdit(Optional.empty(), Map.of("root", new RootEdit.RoleEdit(List.of(alice.publicKey()), 2)));
        UnreachableRoleException e = assertThrows(UnreachableRoleException.class,
                () -> twoOfOne.apply(current(), now.plusSeconds(60), now));
        assertEquals("root", e.role());
        assertEquals(2, e.threshold());
        assertEquals(1, e.keyCount());
        assertThrows(UnreachableRoleException.class, () -> new RootEdit(Optional.empty(),
                Map.of("snapshot", new RootEdit.RoleEdit(List.of(), 1))).apply(current(), now.plusSeconds(60), now));
    }

    @Test
    void proposalBytesMustBeCanonical() {
        Bytes canonical = RootCeremony.signedBytes(twoOfThree());
        String pretty = new String(canonical.toArray()).replace(",", ", ");
        assertThrows(dev.ota.tuf.MalformedMetadataException.class, () -> RootCeremony.proposal(Bytes.of(pretty.getBytes())));
    }

    @Test
    void anOfficersPemPublicKeyGetsTheKeyIdOfTheKeyItself() {
        for (SigningKey k : List.of(alice, bob)) {
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(k.jcaPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            assertEquals(k.keyId(), PublicKeyImport.fromPem(pem).keyId(), k.type().toString());
        }
        assertThrows(IllegalArgumentException.class, () -> PublicKeyImport.fromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
    }
}
