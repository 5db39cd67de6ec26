package dev.ota.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.tuf.crypto.KeyType;
import dev.ota.tuf.crypto.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnlineKeyStoreTest {
    private static final Instant CREATED = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aRotationAddsTheNewKeyThenRemovesTheOldAndTheListShowsTypeAndCreationButNoSecret() throws Exception {
        Path dir = Files.createTempDirectory("keystore-test-");
        OnlineKeyStore store = OnlineKeyStore.at(dir.resolve("online-keys.p12"));
        SigningKey old = SigningKey.generate();
        store.create(Map.of("snapshot", List.of(old), "timestamp", List.of(SigningKey.generate())), CREATED);
        String before = store.stamp();
        SigningKey fresh = SigningKey.generate(KeyType.ECDSA_P256);

        store.add("snapshot", fresh, CREATED.plusSeconds(3600));
        List<String> during = store.keysFor("snapshot").stream().map(SigningKey::keyId).toList();
        boolean removed = store.remove("snapshot", old.keyId());

        assertTrue(during.containsAll(List.of(old.keyId(), fresh.keyId())), "both held until the commit: " + during);
        assertTrue(removed);
        assertEquals(List.of(fresh.keyId()), store.keysFor("snapshot").stream().map(SigningKey::keyId).toList());
        assertFalse(store.remove("snapshot", old.keyId()), "gone already");
        HeldKey held = store.held().stream().filter(k -> k.role().equals("snapshot")).findFirst().orElseThrow();
        assertEquals(new HeldKey("snapshot", fresh.keyId(), "ecdsa", "ecdsa-sha2-nistp256", CREATED.plusSeconds(3600),
                OnlineKeyStore.PKCS12), held);
        assertEquals(2, store.held().size());
        assertNotEquals(before, store.stamp(), "a rewritten keystore is noticed by the servers caching it");
    }
}
