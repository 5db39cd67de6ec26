package dev.ota.agent.fleet;

import java.time.Duration;

/** What came of one device request, as the device acts on it. */
public sealed interface Answer<T> {
    /** 2xx with a body the device could read (and, where it must be, verify). */
    record Ok<T>(int status, T value) implements Answer<T> {
    }

    /** A refusal with the error body of device-api.md; {@code code} and {@code message} empty when the body had none. */
    record Refused<T>(int status, String code, String message) implements Answer<T> {
    }

    /** 429 or 503 with {@code Retry-After}: come back no earlier than that. */
    record Throttled<T>(Duration retryAfter) implements Answer<T> {
    }

    /** No usable answer: no connection, a timeout, a 5xx without {@code Retry-After}. Back off and retry. */
    record Unavailable<T>(String reason) implements Answer<T> {
    }

    /** A 2xx whose body is malformed, or not signed as it must be: never used. */
    record Untrusted<T>(String reason) implements Answer<T> {
    }
}
