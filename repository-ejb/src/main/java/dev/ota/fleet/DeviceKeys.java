package dev.ota.fleet;

import dev.ota.tuf.metadata.Key;

import java.util.Set;

/** The device key types device-api.md accepts: ed25519 by default, ECDSA P-256 as PEM. */
final class DeviceKeys {
    private static final Set<String> SCHEMES = Set.of("ed25519", "ecdsa-sha2-nistp256");

    private DeviceKeys() {
    }

    static void requireSupported(Key key, String document, String field) {
        if (!SCHEMES.contains(key.scheme())) {
            throw FleetFailure.malformed(document, document + "." + field + ": the key scheme '" + key.scheme()
                    + "' is not one a device may use (ed25519, ecdsa-sha2-nistp256)");
        }
    }
}
