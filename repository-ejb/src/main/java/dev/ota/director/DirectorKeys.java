package dev.ota.director;

import dev.ota.tuf.crypto.SigningKey;
import java.util.List;

/** The director's signing keys per top-level role, threshold 1 each (as the image repository's bootstrap). */
public record DirectorKeys(List<SigningKey> root, List<SigningKey> targets, List<SigningKey> snapshot,
                           List<SigningKey> timestamp) {
    public static final List<String> ROLES = List.of("root", "targets", "snapshot", "timestamp");

    public DirectorKeys {
        root = List.copyOf(root);
        targets = List.copyOf(targets);
        snapshot = List.copyOf(snapshot);
        timestamp = List.copyOf(timestamp);
    }

    public static DirectorKeys generate() {
        return new DirectorKeys(List.of(SigningKey.generate()), List.of(SigningKey.generate()),
                List.of(SigningKey.generate()), List.of(SigningKey.generate()));
    }

    public List<SigningKey> of(String role) {
        return switch (role) {
            case "root" -> root;
            case "targets" -> targets;
            case "snapshot" -> snapshot;
            case "timestamp" -> timestamp;
            default -> throw new IllegalArgumentException("no director role '" + role + "'");
        };
    }
}
