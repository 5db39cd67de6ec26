package dev.ota.account;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The weak passwords the security probe got accepted, and the 2,000-character one told "at least 12". */
class PasswordPolicyTest {
    private static AccountException refused(String password, String user) {
        AccountException e = assertThrows(AccountException.class,
                () -> PasswordPolicy.requireAcceptable(password.toCharArray(), user));
        assertEquals("account.weak-password", e.code());
        return e;
    }

    @Test
    void refusesTwelveSpaces() {
        assertTrue(refused(" ".repeat(12), "alice").getMessage().contains("not spaces"));
    }

    @Test
    void refusesOneLetterTwelveTimes() {
        refused("aaaaaaaaaaaa", "alice");
    }

    @Test
    void refusesPassword1234AsACommonPassword() {
        assertTrue(refused("password1234", "alice").getMessage().contains("common"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P@ssw0rd2024!", "Qwertyuiop123", "!!Dragon2024!!", "Sunshine2024", "iloveyou1234",
        "welcomeadmin99", "superman1987"})
    void refusesCommonPasswordsWithDecoration(String password) {
        refused(password, "alice");
    }

    @Test
    void refusesTheUserNameRepeated() {
        refused("operatoroperator", "operator");
        assertTrue(refused("Operator-Xy7-q9", "operator").getMessage().contains("besides the user name"));
        assertDoesNotThrow(() -> PasswordPolicy.requireAcceptable("operator-Xy7q9-vbn3k".toCharArray(), "operator"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcabcabcabc", "123456789012", "abcdefghijkl", "zyxwvutsrqpo", "abcdef123456"})
    void refusesRepeatsAndRuns(String password) {
        refused(password, "alice");
    }

    @Test
    void aTwoThousandCharacterPasswordIsToldTheMaximumNotTheMinimum() {
        String message = refused("x7#Kq".repeat(400), "alice").getMessage();

        assertTrue(message.contains("at most " + PasswordPolicy.MAX_LENGTH), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "vK9#mQ2$xL7!pR", "it-admin-password-0123",
        "Fjord lantern 42 quietly", "release-manager-password-0123"})
    void acceptsPasswordsWithoutAPattern(String password) {
        assertDoesNotThrow(() -> PasswordPolicy.requireAcceptable(password.toCharArray(), "alice"));
    }

    @Test
    void theBundledListHasAFewThousandEntries() {
        assertTrue(PasswordPolicy.isCommon("sunshine"));
        assertTrue(PasswordPolicy.isCommon("monkeydragon"));
    }
}
