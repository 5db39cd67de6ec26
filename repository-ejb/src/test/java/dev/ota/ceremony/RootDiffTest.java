package dev.ota.ceremony;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.ceremony.CeremonyViews.CeremonyKey;
import dev.ota.ceremony.CeremonyViews.RoleChange;
import dev.ota.ceremony.CeremonyViews.RootDiff;
import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import dev.ota.tuf.metadata.Role;
import dev.ota.tuf.metadata.Root;
import dev.ota.tuf.repository.RootEdit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RootDiffTest {
    private final SigningKey online = SigningKey.generate();
    private final SigningKey timestamp = SigningKey.generate();
    private final SigningKey alice = SigningKey.generate();
    private final SigningKey bob = SigningKey.generate(KeyType.ECDSA_P256);
    private final Instant now = Instant.parse("2030-01-01T00:00:00Z");
    private final Root current = new Root("1.0.31", 1, now.plusSeconds(86400), true,
            Map.of(online.keyId(), online.publicKey(), timestamp.keyId(), timestamp.publicKey()),
            Map.of("root", new Role(List.of(online.keyId()), 1), "targets", new Role(List.of(online.keyId()), 1),
                    "snapshot", new Role(List.of(online.keyId()), 1), "timestamp", new Role(List.of(timestamp.keyId()), 1)),
            Map.of());

    @Test
    void showsKeysByIdAndHolderThresholdsAndExpiryOfEveryRole() {
        Root next = new RootEdit(Optional.of(now.plusSeconds(7 * 86400)), Map.of("root", new RootEdit.RoleEdit(
                List.of(alice.publicKey(), bob.publicKey()), 2))).apply(current, now.plusSeconds(60), now);
        Map<String, String> holders = Map.of(online.keyId(), RootCeremonies.SERVER, alice.keyId(), "alice",
                bob.keyId(), "bob");

        RootDiff d = RootCeremonies.diff(current, next, holders, holders);

        assertEquals(1, d.versionBefore());
        assertEquals(2, d.versionAfter());
        assertEquals(now.plusSeconds(7 * 86400), d.expiresAfter());
        RoleChange root = d.roles().get(0);
        assertEquals("root", root.role());
        assertEquals(1, root.thresholdBefore());
        assertEquals(2, root.thresholdAfter());
        assertEquals(List.of(new CeremonyKey(alice.keyId(), "ed25519", "alice"), new CeremonyKey(bob.keyId(), "ecdsa", "bob")),
                root.added());
        assertEquals(List.of(new CeremonyKey(online.keyId(), "ed25519", RootCeremonies.SERVER)), root.removed());
        RoleChange ts = d.roles().stream().filter(c -> c.role().equals("timestamp")).findFirst().orElseThrow();
        assertEquals(List.of(), ts.added());
        assertEquals(List.of(), ts.removed());
        assertEquals(List.of(timestamp.keyId()), ts.kept().stream().map(CeremonyKey::keyId).toList());
        assertEquals("unknown", ts.kept().get(0).holder());
    }
}
