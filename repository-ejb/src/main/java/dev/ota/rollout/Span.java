package dev.ota.rollout;

import java.time.Instant;

/** A span of time {@code [start, end)}, e.g. while a device was held as critical. */
public record Span(Instant start, Instant end) {
    public Span {
        if (start == null || end == null || end.isBefore(start)) {
            throw new IllegalArgumentException("a span needs a start not after its end");
        }
    }
}
