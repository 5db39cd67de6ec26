package dev.ota.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import org.junit.jupiter.api.Test;

class KeyCustodyExceptionTest {
    @Test
    void clientMessageHidesTheKeystorePathThatTheLogMessageKeeps() {
        KeyCustodyException e = new KeyCustodyException(
                "cannot read the keystore /srv/ota/data/keys/online-keys.p12 (wrong OTA_KEYSTORE_PASSWORD or damaged file)");

        assertTrue(e.getMessage().contains("/srv/ota/data/keys"), "the log keeps the detail");
        assertFalse(e.clientMessage().contains("/srv"), e.clientMessage());
        assertFalse(e.clientMessage().contains("online-keys.p12"), e.clientMessage());
        assertTrue(e.clientMessage().contains("keys.custody"), "names the stable code: " + e.clientMessage());
        assertTrue(e.clientMessage().contains("server log"), "says where an operator looks: " + e.clientMessage());
    }

    @Test
    void clientMessageOfARequestErrorIsTheMessageItself() {
        OtaException e = new OtaException("release.duplicate", ErrorKind.CONFLICT, "firmware/a.bin 1.0 exists");

        assertEquals("firmware/a.bin 1.0 exists", e.clientMessage());
    }
}
