package dev.ota.tuf.repository;

import dev.ota.tuf.MalformedMetadataException;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.crypto.VerificationResult;
import dev.ota.tuf.metadata.Bytes;
import dev.ota.tuf.metadata.Signature;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Targets;
import dev.ota.tuf.trust.TrustedMetadataSet;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.ota.tuf.repository.TestRepository.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetsCeremonyTest {
    private final TestRepository repo = TestRepository.withBins("releases", 4);
    private final SigningKey alice = SigningKey.generate();
    private final SigningKey bob = SigningKey.generate(KeyType.ECDSA_P256);
    private final SigningKey carol = SigningKey.generate();
    private final Instant now = T0.plus(Duration.ofDays(1));
    /** Root 2: top-level targets is 2 of the three officers' keys; the server keeps its online root key. */
    private final Publication offline = RootRotation.rotate(repo.state(), r -> RootRotation.withRoleKeys(r, "targets",
            List.of(alice.publicKey(), bob.publicKey(), carol.publicKey()), 2), List.of(repo.rootKey),
            List.of(repo.rootKey), repo.expiries, now);

    private RepositoryState state() {
        return offline.state();
    }

    private Signed<Targets> proposal() {
        Targets current = state().targets().metadata();
        return TargetsCeremony.proposal(TargetsCeremony.signedBytes(
                TargetsCeremony.next(current, current, now.plus(Duration.ofDays(365)), now)));
    }

    @Test
    void twoOfThreeOfficersSignTargetsNextAndAClientTrustingRootOneVerifiesItWithTheNewSnapshot() {
        Signed<Targets> proposal = proposal();
        byte[] data = proposal.signedBytes().toArray();

        RoleFile<Targets> file = TargetsCeremony.publishable(state().root().metadata(), proposal,
                List.of(alice.sign(data), bob.sign(data)));
        Publication published = Publisher.publishSignedTargets(state(), file, repo.online(), repo.expiries, now);

        assertEquals(List.of("targets", "snapshot", "timestamp"), published.files().stream().map(MetadataFile::role).toList());
        assertEquals(file.bytes(), published.files().get(0).bytes(), "published exactly as the officers signed it");
        TrustedMetadataSet client = new TrustedMetadataSet(repo.state().root().bytes().toArray(), now);
        client.updateRoot(state().root().bytes().toArray());
        client.updateTimestamp(published.files().get(2).bytes().toArray());
        client.updateSnapshot(published.files().get(1).bytes().toArray(), false);
        Signed<Targets> trusted = client.updateTargets(published.files().get(0).bytes().toArray());
        assertEquals(2, trusted.signed().version());
        assertEquals(state().targets().metadata().delegations(), trusted.signed().delegations(), "same delegations");
    }

    @Test
    void oneSignatureBelowTheThresholdIsNotPublishable() {
        Signed<Targets> proposal = proposal();
        byte[] data = proposal.signedBytes().toArray();
        List<Signature> one = List.of(alice.sign(data));

        VerificationResult tally = TargetsCeremony.tally(state().root().metadata(), proposal, one);
        assertFalse(tally.thresholdMet());
        assertEquals(Set.of(alice.keyId()), tally.validKeyIds());
        assertThrows(InsufficientSigningKeysException.class,
                () -> TargetsCeremony.publishable(state().root().metadata(), proposal, one));
        RoleFile<Targets> underSigned = RoleFile.of("targets", proposal.withSignatures(one));
        assertThrows(InsufficientSigningKeysException.class,
                () -> Publisher.publishSignedTargets(state(), underSigned, repo.online(), repo.expiries, now));
    }

    @Test
    void aSignatureOverOtherBytesOrByTheRetiredOnlineTargetsKeyDoesNotCount() {
        Signed<Targets> proposal = proposal();
        byte[] data = proposal.signedBytes().toArray();
        Signature overOther = bob.sign("{\"other\":\"bytes\"}".getBytes(StandardCharsets.UTF_8));

        assertFalse(TargetsCeremony.signs(bob.publicKey(), proposal.signedBytes(), overOther.sig()));
        assertTrue(TargetsCeremony.signs(bob.publicKey(), proposal.signedBytes(), bob.sign(data).sig()));
        VerificationResult tally = TargetsCeremony.tally(state().root().metadata(), proposal,
                List.of(alice.sign(data), overOther, repo.targetsKey.sign(data)));
        assertEquals(Set.of(alice.keyId()), tally.validKeyIds());
        assertTrue(TargetsCeremony.targetsKey(state().root().metadata(), repo.targetsKey.keyId()).isEmpty());
        assertTrue(TargetsCeremony.targetsKey(state().root().metadata(), carol.keyId()).isPresent());
    }

    @Test
    void onlyCanonicalTargetsBytesAreReadAsAProposal() {
        Bytes root = RootCeremony.signedBytes(state().root().metadata());
        Bytes spaced = Bytes.of(("{ " + new String(proposal().signedBytes().toArray(), StandardCharsets.UTF_8).substring(1))
                .getBytes(StandardCharsets.UTF_8));

        assertThrows(MalformedMetadataException.class, () -> TargetsCeremony.proposal(root));
        assertThrows(MalformedMetadataException.class, () -> TargetsCeremony.proposal(spaced));
    }

    @Test
    void theNextVersionIsExactlyOneMoreWithTheNewExpiryAndAPastExpiryIsRefused() {
        Targets current = state().targets().metadata();
        Instant expires = now.plus(Duration.ofDays(90));

        Targets next = TargetsCeremony.next(current, current, expires, now);

        assertEquals(current.version() + 1, next.version());
        assertEquals(expires, next.expires());
        assertEquals(current.delegations(), next.delegations());
        assertThrows(IllegalArgumentException.class, () -> TargetsCeremony.next(current, current, now, now));
    }

    @Test
    void aSignedTargetsThatIsNotTheNextVersionIsNotPublished() {
        Targets current = state().targets().metadata();
        Targets skip = new Targets(current.specVersion(), current.version() + 2, now.plus(Duration.ofDays(9)),
                current.targets(), current.delegations(), current.unrecognized());
        byte[] data = TargetsCeremony.signedBytes(skip).toArray();
        RoleFile<Targets> file = RoleFile.of("targets", TargetsCeremony.proposal(Bytes.of(data))
                .withSignatures(List.of(alice.sign(data), bob.sign(data))));

        assertThrows(IllegalArgumentException.class,
                () -> Publisher.publishSignedTargets(state(), file, repo.online(), repo.expiries, now));
    }

    @Test
    void theExpiryRefreshNeverSignsOfflineTargetsWithAnOnlineKey() {
        // The server still holds the retired online targets key; targets is due, snapshot and timestamp too.
        Keyring stale = repo.online().withTargets(List.of(repo.targetsKey));

        Publication refreshed = Publisher.refreshExpiring(state(), now.plus(Duration.ofDays(3650)), stale,
                repo.expiries, now);

        assertFalse(refreshed.files().stream().anyMatch(f -> f.role().equals("targets")), refreshed.changedRoles().toString());
        assertThrows(SigningKeyNotAuthorisedException.class,
                () -> Publisher.resign(state(), List.of("targets"), stale, repo.expiries, now));
    }

    @Test
    void aRenewalIsDueOnceTheExpiryIsWithinTheMarginAndNotBefore() {
        Instant expires = now.plus(Duration.ofDays(40));
        Duration margin = Duration.ofDays(30);

        assertFalse(TargetsCeremony.renewalDue(expires, margin, now));
        assertFalse(TargetsCeremony.renewalDue(expires, margin, now.plus(Duration.ofDays(10)).minusSeconds(1)));
        assertTrue(TargetsCeremony.renewalDue(expires, margin, now.plus(Duration.ofDays(10))));
        assertTrue(TargetsCeremony.renewalDue(expires, margin, expires.plusSeconds(1)));
    }
}
