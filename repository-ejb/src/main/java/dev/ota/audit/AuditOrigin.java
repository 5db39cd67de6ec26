package dev.ota.audit;

/**
 * How the current request's caller signed in, when the account name alone does not say it: the API
 * token's id. The web tier sets it for the length of one request on the request's thread (EJB calls
 * from a request run on that thread); every audit entry written meanwhile carries it in its detail,
 * so that the actions of a leaked token can be told from its owner's own.
 */
public final class AuditOrigin {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private AuditOrigin() {
    }

    /** From now until {@link #clear()} on this thread, audit entries say they came through {@code origin}. */
    public static void set(String origin) {
        CURRENT.set(origin);
    }

    public static void clear() {
        CURRENT.remove();
    }

    static String current() {
        return CURRENT.get();
    }
}
