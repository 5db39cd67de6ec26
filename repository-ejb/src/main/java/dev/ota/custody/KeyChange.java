package dev.ota.custody;

import java.util.List;

/**
 * What a rotation or revocation did: the key retired and the key that replaced it, the root version now served
 * by that repository (the image repository's root does not change for a release role's key: top-level targets
 * lists it), and the files signed anew.
 */
public record KeyChange(String repository, String role, String retiredKeyId, String newKeyId, boolean revoked,
                        long rootVersion, List<String> signed) {
    public KeyChange {
        signed = List.copyOf(signed);
    }
}
