package dev.ota.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ota.custody.OnlineKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeysViewTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void aKeyInServiceShowsItsHolderWithItsCustodyAndARetiredOneNeither() {
        OnlineKey inToken = new OnlineKey("image", "timestamp", "ab".repeat(32), "ecdsa", "ecdsa-sha2-nistp256",
                NOW.minusSeconds(3600), "this server", OnlineKey.ACTIVE, null, null, null,
                null, "pkcs11 token ota-online");
        OnlineKey retired = new OnlineKey("image", "timestamp", "cd".repeat(32), "ed25519", "ed25519",
                NOW.minusSeconds(7200), null, OnlineKey.RETIRED, NOW, "officer", null, "ab".repeat(32), null);

        assertEquals("this server (pkcs11 token ota-online)", KeysView.row(inToken, NOW).holder());
        assertEquals("", KeysView.row(retired, NOW).holder());
    }
}
