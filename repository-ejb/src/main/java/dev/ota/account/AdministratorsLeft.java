package dev.ota.account;

import java.util.Set;

/**
 * Whether a change to one account leaves the installation with an enabled administrator: the last
 * one disabled, or its administrator role taken away, and nobody could manage accounts any more
 * (the first-administrator bootstrap runs only on an empty database).
 */
final class AdministratorsLeft {
    private AdministratorsLeft() {
    }

    /**
     * @param enabledAdministrators the names of the enabled administrators before the change
     * @param account the account being changed
     * @param enabledAfter whether that account is enabled after the change
     * @param rolesAfter that account's roles after the change
     */
    static boolean afterChange(Set<String> enabledAdministrators, String account, boolean enabledAfter,
                               Set<String> rolesAfter) {
        if (enabledAfter && rolesAfter.contains(Roles.ADMINISTRATOR)) {
            return true;
        }
        return enabledAdministrators.stream().anyMatch(name -> !name.equals(account));
    }
}
