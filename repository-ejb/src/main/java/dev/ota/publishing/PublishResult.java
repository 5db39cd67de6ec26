package dev.ota.publishing;

import java.util.List;

/** What a publish signed: the new snapshot and timestamp versions and every role re-signed. */
public record PublishResult(long snapshotVersion, long timestampVersion, List<String> changedRoles) {
    public PublishResult {
        changedRoles = List.copyOf(changedRoles);
    }

    /** The re-signed roles as an audit entry names them, short also for a bulk import ({@link #summary}). */
    public String changedRolesInShort() {
        return summary(changedRoles);
    }

    /** "releases-00, ... (256 roles), snapshot, timestamp": an audit line stays short for a bulk import. */
    static String summary(List<String> roles) {
        if (roles.size() <= 8) {
            return roles.toString();
        }
        return "[" + String.join(", ", roles.subList(0, 3)) + ", ... (" + roles.size() + " roles), "
                + String.join(", ", roles.subList(roles.size() - 2, roles.size())) + "]";
    }
}
