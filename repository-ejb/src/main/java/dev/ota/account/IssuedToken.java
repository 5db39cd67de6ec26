package dev.ota.account;

/**
 * A freshly issued API token. The secret is shown to the caller exactly once and never stored;
 * {@link #toString()} leaves it out.
 */
public record IssuedToken(long id, String label, String secret, java.time.Instant expiresAt) {
    @Override
    public String toString() {
        return "IssuedToken[id=" + id + ", label=" + label + ", expiresAt=" + expiresAt + "]";
    }
}
