package dev.ota.tuf.repository;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a new repository's top-level targets delegates to the online-signed role(s) that list the targets:
 * succinct hash bins (TAP 15) for large repositories, or one classic role trusted for path patterns.
 */
public sealed interface Delegation {
    /** Role names end up in file names and URLs: keep them to a safe alphabet. */
    Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    Set<String> TOP_LEVEL = Set.of("root", "targets", "snapshot", "timestamp");

    /** Hash bins with the default bit length of 8: 256 bins. */
    static HashBins hashBins(String namePrefix) {
        return new HashBins(namePrefix, HashBins.DEFAULT_BIT_LENGTH);
    }

    /**
     * {@code 2^bitLength} bins named {@code namePrefix-<hex>}. Every bin is created (empty) with the
     * repository, because a client fetches the bin a path hashes to whether or not anything is in it.
     */
    record HashBins(String namePrefix, int bitLength) implements Delegation {
        public static final int DEFAULT_BIT_LENGTH = 8;
        /**
         * TAP 15 allows up to 32 bits, but every bin is a file this repository writes and snapshot lists:
         * beyond 2^16 bins snapshot alone would outweigh any saving.
         */
        public static final int MAX_BIT_LENGTH = 16;

        public HashBins {
            checkName(namePrefix);
            if (bitLength < 1 || bitLength > MAX_BIT_LENGTH) {
                throw new IllegalArgumentException("bit_length must be between 1 and " + MAX_BIT_LENGTH + ", got " + bitLength);
            }
        }
    }

    /** One delegated role trusted for the targets matching {@code paths} (shell-style, {@code *} never matches {@code /}). */
    record PathRole(String name, List<String> paths, boolean terminating) implements Delegation {
        public PathRole {
            checkName(name);
            paths = List.copyOf(paths);
            if (paths.isEmpty()) throw new IllegalArgumentException("a path role needs at least one path pattern");
        }
    }

    private static void checkName(String name) {
        if (name == null || !ROLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("role name '" + name + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        if (TOP_LEVEL.contains(name)) throw new IllegalArgumentException("'" + name + "' is a top-level role name");
    }
}
