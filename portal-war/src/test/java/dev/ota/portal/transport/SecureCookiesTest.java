package dev.ota.portal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SecureCookiesTest {
    @Test
    void aSetCookieHeaderWithoutSecureGetsIt() {
        assertEquals("a=1; Path=/; HttpOnly; Secure", SecureCookies.withSecure("a=1; Path=/; HttpOnly"));
    }

    @Test
    void aSetCookieHeaderThatIsSecureAlreadyIsLeftAlone() {
        assertEquals("a=1; secure; Path=/", SecureCookies.withSecure("a=1; secure; Path=/"));
        // A value that merely contains the word is not the attribute.
        assertEquals("secure=1; Path=/; Secure", SecureCookies.withSecure("secure=1; Path=/"));
    }
}
