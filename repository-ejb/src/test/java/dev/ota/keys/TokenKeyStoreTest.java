package dev.ota.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyStoreException;
import java.security.ProviderException;
import org.junit.jupiter.api.Test;

class TokenKeyStoreTest {
    @Test
    void aTokenFailureIsToldByItsExceptionTypeAndPkcs11CodeNeverByMessagesThatCouldQuoteASecret() {
        Exception e = new KeyStoreException("login with PIN 1234abcd refused",
                new ProviderException("CKR_PIN_INCORRECT"));

        assertEquals("KeyStoreException CKR_PIN_INCORRECT", TokenKeyStore.reason(e));
        assertEquals("IllegalStateException", TokenKeyStore.reason(new IllegalStateException("PIN 1234abcd")));
    }
}
