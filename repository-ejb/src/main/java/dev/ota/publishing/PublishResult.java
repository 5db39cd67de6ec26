package dev.ota.publishing;

import java.util.List;

/** What a publish signed: the new snapshot and timestamp versions and every role re-signed. */
public record PublishResult(long snapshotVersion, long timestampVersion, List<String> changedRoles) {
    public PublishResult {
        changedRoles = List.copyOf(changedRoles);
    }
}
