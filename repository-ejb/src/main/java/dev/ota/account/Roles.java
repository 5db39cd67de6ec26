package dev.ota.account;

import java.util.Set;

/** The application roles, as used in {@code @RolesAllowed} and stored in {@code app_user_role}. */
public final class Roles {
    public static final String ADMINISTRATOR = "administrator";
    public static final String RELEASE_MANAGER = "release-manager";
    public static final String SECURITY_OFFICER = "security-officer";
    public static final String AUDITOR = "auditor";

    public static final Set<String> ALL = Set.of(ADMINISTRATOR, RELEASE_MANAGER, SECURITY_OFFICER, AUDITOR);

    private Roles() {
    }
}
