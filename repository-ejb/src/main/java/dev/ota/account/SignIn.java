package dev.ota.account;

import java.time.Duration;

/** The outcome of a password sign-in: who signed in, a refusal, or "too many failures, wait". */
public sealed interface SignIn {
    /**
     * Signed in. {@code sessionStamp} changes whenever the account's password, roles or state do; a
     * portal session keeps the stamp it started with and ends once that no longer matches.
     */
    record Accepted(Caller caller, String sessionStamp) implements SignIn {
    }

    /** Wrong user name or password (which of the two is never said). */
    record Refused() implements SignIn {
    }

    /** Too many recent failures for this account or address; the password was not even looked at. */
    record Throttled(Duration retryAfter) implements SignIn {
    }
}
