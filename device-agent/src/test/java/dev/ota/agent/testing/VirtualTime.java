package dev.ota.agent.testing;

import dev.ota.agent.fleet.Sleeper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that moves only when the code under test sleeps through {@link #sleeper()}; records every wait. */
public final class VirtualTime extends Clock {
    private Instant now;
    private final List<Duration> waits = new ArrayList<>();

    public VirtualTime(Instant start) {
        this.now = start;
    }

    public synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    public Sleeper sleeper() {
        return d -> {
            synchronized (this) {
                waits.add(d);
            }
            advance(d);
        };
    }

    public synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
