package dev.ota.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    // Few iterations keep the test fast; the stored count is what verification uses.
    private final PasswordHasher hasher = new PasswordHasher(1000);

    @Test
    void matchesOnlyTheHashedPassword() {
        String stored = hasher.hash("correct horse".toCharArray());

        assertTrue(hasher.matches("correct horse".toCharArray(), stored));
        assertFalse(hasher.matches("correct horsE".toCharArray(), stored));
    }

    @Test
    void saltsEveryHashAndRecordsItsIterationCount() {
        String a = hasher.hash("same".toCharArray());
        String b = hasher.hash("same".toCharArray());

        assertNotEquals(a, b);
        assertTrue(a.startsWith("pbkdf2-sha256$1000$"), a);
        assertTrue(new PasswordHasher().hash("x".toCharArray()).startsWith("pbkdf2-sha256$600000$"));
    }

    @Test
    void treatsMalformedStoredValuesAsNoMatch() {
        for (String stored : new String[] {"", "plain", "pbkdf2-sha256$x$y$z", "md5$1$AA$AA", "pbkdf2-sha256$10$!!$AA"}) {
            assertFalse(hasher.matches("x".toCharArray(), stored), stored);
        }
    }
}
