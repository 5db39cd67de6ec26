package dev.ota.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AdministratorsLeftTest {
    private static final Set<String> ADMIN_ONLY = Set.of(Roles.ADMINISTRATOR);
    private static final Set<String> AUDITOR_ONLY = Set.of(Roles.AUDITOR);

    @Test
    void disablingTheOnlyEnabledAdministratorLeavesNone() {
        assertFalse(AdministratorsLeft.afterChange(Set.of("admin"), "admin", false, ADMIN_ONLY));
    }

    @Test
    void takingTheAdministratorRoleFromTheOnlyAdministratorLeavesNone() {
        assertFalse(AdministratorsLeft.afterChange(Set.of("admin"), "admin", true, AUDITOR_ONLY));
    }

    @Test
    void disablingOneOfTwoAdministratorsLeavesTheOther() {
        assertTrue(AdministratorsLeft.afterChange(Set.of("admin", "second"), "second", false, ADMIN_ONLY));
    }

    @Test
    void changingSomeoneWhoIsNoAdministratorKeepsTheAdministrators() {
        assertTrue(AdministratorsLeft.afterChange(Set.of("admin"), "alice", false, AUDITOR_ONLY));
    }

    @Test
    void enablingAnAdministratorWhenNoneIsEnabledLeavesOne() {
        assertTrue(AdministratorsLeft.afterChange(Set.of(), "admin", true, ADMIN_ONLY));
    }
}
