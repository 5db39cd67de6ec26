package dev.ota.tuf.repository;

/**
 * Everything needed to create a repository: the keys and threshold of each top-level role and of the
 * delegated (online) role, how targets are delegated, and how long each role stays valid.
 */
public record RepositoryConfig(RoleKeySet root, RoleKeySet targets, RoleKeySet snapshot, RoleKeySet timestamp,
                               RoleKeySet delegated, Delegation delegation, Expiries expiries) {
    public RepositoryConfig {
        if (root == null || targets == null || snapshot == null || timestamp == null || delegated == null
                || delegation == null || expiries == null) {
            throw new IllegalArgumentException("every field of a repository configuration is required");
        }
    }

    /** All the private keys of this configuration, for signing the first version of every role. */
    public Keyring keyring() {
        return new Keyring(root.keys(), targets.keys(), snapshot.keys(), timestamp.keys(), delegated.keys());
    }
}
