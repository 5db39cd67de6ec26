package dev.ota.publishing;

import java.util.List;

/**
 * What replacing an online key of the image repository published: the root version now served (unchanged when
 * only top-level targets changed, for a delegated role's key) and the roles signed anew, in publish order.
 */
public record KeyReplacement(long rootVersion, List<String> signed) {
    public KeyReplacement {
        signed = List.copyOf(signed);
    }
}
