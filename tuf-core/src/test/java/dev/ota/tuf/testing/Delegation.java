package dev.ota.tuf.testing;

import dev.ota.tuf.crypto.SigningKey;

import java.util.List;
import java.util.Optional;

/**
 * What a test asks the simulator to delegate: a role name, the paths or path hash prefixes it is trusted for,
 * whether it is terminating, its threshold and its keys (by default one fixed test key named after the role).
 */
public record Delegation(String name, Optional<List<String>> paths, Optional<List<String>> pathHashPrefixes,
                         boolean isTerminating, int threshold, List<SigningKey> keys) {
    public Delegation {
        paths = paths.map(List::copyOf);
        pathHashPrefixes = pathHashPrefixes.map(List::copyOf);
        keys = List.copyOf(keys);
    }

    /** A role trusted for target paths matching any of {@code patterns}. */
    public static Delegation forPaths(String name, String... patterns) {
        return new Delegation(name, Optional.of(List.of(patterns)), Optional.empty(), false, 1, defaultKeys(name));
    }

    /** A role trusted for target paths whose SHA-256 (hex) starts with any of {@code prefixes}. */
    public static Delegation forHashPrefixes(String name, String... prefixes) {
        return new Delegation(name, Optional.empty(), Optional.of(List.of(prefixes)), false, 1, defaultKeys(name));
    }

    /** The same delegation, terminating: the target search does not look past this role for paths it matches. */
    public Delegation terminating() {
        return new Delegation(name, paths, pathHashPrefixes, true, threshold, keys);
    }

    public Delegation threshold(int t) {
        return new Delegation(name, paths, pathHashPrefixes, isTerminating, t, keys);
    }

    public Delegation keys(SigningKey... k) {
        return new Delegation(name, paths, pathHashPrefixes, isTerminating, threshold, List.of(k));
    }

    private static List<SigningKey> defaultKeys(String name) {
        return List.of(TestKeys.ed25519("delegated role " + name));
    }
}
