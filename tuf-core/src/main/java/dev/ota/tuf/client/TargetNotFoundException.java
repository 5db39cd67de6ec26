package dev.ota.tuf.client;

import dev.ota.tuf.TufException;

/** No trusted role, searched as the delegations allow, lists the target (arbitrary installation is refused). */
public final class TargetNotFoundException extends TufException {
    private final String targetPath;

    public TargetNotFoundException(String targetPath) {
        super("no trusted role lists target '" + targetPath + "'");
        this.targetPath = targetPath;
    }

    public String targetPath() {
        return targetPath;
    }
}
