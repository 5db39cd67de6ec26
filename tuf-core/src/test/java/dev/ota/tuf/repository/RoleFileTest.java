package dev.ota.tuf.repository;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.RoleKeys;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.metadata.Signed;
import dev.ota.tuf.metadata.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ota.tuf.repository.TestRepository.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoleFileTest {

    @Test
    void fileWithoutControlCharactersIsExactlyTheCanonicalEnvelope() {
        RepositoryState s = TestRepository.withBins("releases", 2).state();
        assertEquals(s.root().signed().toBytes(), s.root().bytes());
        assertEquals(s.snapshot().signed().toBytes(), s.snapshot().bytes());
        assertEquals(s.delegated().get("releases-2").signed().toBytes(), s.delegated().get("releases-2").bytes());
    }

    @Test
    void pemKeysAreServedAsJsonThatParsesBackToTheSignedBytes() {
        SigningKey ecdsaRoot = SigningKey.generate(KeyType.ECDSA_P256);
        SigningKey rsaSnapshot = SigningKey.generate(KeyType.RSA_PSS);
        RepositoryConfig config = new RepositoryConfig(RoleKeySet.of(ecdsaRoot), RoleKeySet.of(SigningKey.generate()),
                RoleKeySet.of(rsaSnapshot), RoleKeySet.of(SigningKey.generate()), RoleKeySet.of(SigningKey.generate()),
                Delegation.hashBins("releases"), Expiries.defaults());
        RepositoryState s = Publisher.create(config, T0).state();
        byte[] served = s.root().bytes().toArray();
        // PEM keys hold newlines, which canonical JSON keeps raw; a served file must be parsable JSON.
        assertTrue(s.root().signed().signedBytes().utf8().contains("\n"));
        for (byte b : served) assertTrue(b < 0 || b >= 0x20, "raw control character in a served file");

        Signed<Root> parsed = Signed.parse(served, Root.class, "1.root.json");
        assertArrayEquals(s.root().signed().signedBytes().toArray(), parsed.signedBytes().toArray());
        Root root = parsed.signed();
        assertTrue(dev.ota.tuf.crypto.SignatureCheck.verify("root", parsed, RoleKeys.ofTopLevel(root, "root")).thresholdMet());
        Signed<Snapshot> snapshot = Signed.parse(s.snapshot().bytes().toArray(), Snapshot.class, "1.snapshot.json");
        assertTrue(dev.ota.tuf.crypto.SignatureCheck.verify("snapshot", snapshot, RoleKeys.ofTopLevel(root, "snapshot")).thresholdMet());
        assertEquals(List.of(rsaSnapshot.keyId()), root.role("snapshot").keyIds());
    }
}
