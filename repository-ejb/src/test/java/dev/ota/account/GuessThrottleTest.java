package dev.ota.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The guessing policy in virtual time: what an attacker gets, and what the real user still gets. */
class GuessThrottleTest {
    /** Time that moves only when the test says so. */
    private static final class VirtualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private final VirtualClock clock = new VirtualClock();
    private final GuessThrottle throttle = new GuessThrottle(clock);

    /** An attacker who retries exactly when told to; returns the guesses checked in {@code duration}. */
    private int attack(String account, String address, Duration duration) {
        Instant end = clock.instant().plus(duration);
        int checked = 0;
        while (clock.instant().isBefore(end)) {
            Optional<Duration> wait = throttle.admit(account, address);
            if (wait.isPresent()) {
                clock.advance(wait.get());
            } else {
                checked++;
                clock.advance(Duration.ofMillis(300)); // one PBKDF2 computation
            }
        }
        return checked;
    }

    @Test
    void theSixthWrongPasswordForAnAccountMakesTheNextAttemptWait() {
        for (int i = 0; i < GuessThrottle.ACCOUNT.freeFailures(); i++) {
            assertTrue(throttle.admit("alice", "203.0.113.1").isEmpty());
        }
        assertTrue(throttle.admit("alice", "203.0.113.1").isEmpty());

        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.admit("alice", "203.0.113.2"));
    }

    @Test
    void oneAttackerAddressGetsFewGuessesPerHourAgainstOneAccount() {
        int firstMinute = attack("alice", "203.0.113.1", Duration.ofMinutes(1));
        int nextHour = attack("alice", "203.0.113.1", Duration.ofHours(1));
        int thirdHour = attack("alice", "203.0.113.1", Duration.ofHours(1));

        System.out.printf("virtual time, one address against one account: %d guesses in the first minute, "
                + "%d in the hour after, %d in the hour after that%n", firstMinute, nextHour, thirdHour);
        assertTrue(firstMinute <= 15, "first minute: " + firstMinute);
        assertTrue(nextHour <= 12, "next hour: " + nextHour);
        assertTrue(thirdHour <= 5, "at the cap of 15 minutes: " + thirdHour);
    }

    @Test
    void theRealUserFromAnotherAddressWaitsAtMostTheAccountCapWhileTheAttackGoesOn() {
        attack("alice", "203.0.113.1", Duration.ofMinutes(10));

        Optional<Duration> wait = throttle.admit("alice", "198.51.100.7");
        if (wait.isPresent()) {
            assertTrue(wait.get().compareTo(GuessThrottle.ACCOUNT.maxDelay()) <= 0, wait.get().toString());
            clock.advance(wait.get());
            assertTrue(throttle.admit("alice", "198.51.100.7").isEmpty());
        }
        throttle.succeeded("alice", "198.51.100.7");

        assertTrue(throttle.admit("alice", "198.51.100.7").isEmpty(), "signed in: the account's count restarts");
        throttle.admit("alice", "203.0.113.1");
        Optional<Duration> attackerWait = throttle.admit("alice", "203.0.113.1");
        assertTrue(attackerWait.isPresent() && attackerWait.get().compareTo(GuessThrottle.ACCOUNT.maxDelay()) > 0,
                "the attacker's address stays slowed far more than the account: " + attackerWait);
    }

    @Test
    void manyAttackerAddressesHoldTheAccountToTwoGuessesAMinute() {
        Instant end = clock.instant().plus(Duration.ofMinutes(10));
        int checked = 0;
        for (int address = 0; clock.instant().isBefore(end); address++) {
            Optional<Duration> wait = throttle.admit("alice", "198.18.0." + (address % 250));
            if (wait.isPresent()) {
                clock.advance(Duration.ofMillis(100));
            } else {
                checked++;
            }
        }

        assertTrue(checked <= 5 + 5 + 2 * 10, "10 minutes from 250 addresses: " + checked);
    }

    @Test
    void parallelGuessesCannotSlipThroughBeforeTheFirstFailureIsCounted() {
        int admitted = 0;
        for (int i = 0; i < 50; i++) {
            if (throttle.admit("alice", "203.0.113.1").isEmpty()) {
                admitted++;
            }
        }

        assertEquals(GuessThrottle.ACCOUNT.freeFailures() + 1, admitted);
    }

    @Test
    void anInsiderCannotWipeTheirAddressesRecordBySigningInBetweenGuesses() {
        for (int i = 0; i < 40; i++) {
            clock.advance(Duration.ofSeconds(31));
            if (throttle.admit("mallory", "203.0.113.1").isEmpty()) {
                throttle.succeeded("mallory", "203.0.113.1");
            }
            clock.advance(Duration.ofSeconds(31));
            throttle.admit("victim" + i, "203.0.113.1");
        }

        assertTrue(throttle.admit("victim-next", "203.0.113.1").isPresent());
    }

    @Test
    void failuresAreForgottenAfterAQuietPeriod() {
        attack("alice", "203.0.113.1", Duration.ofMinutes(2));
        clock.advance(GuessThrottle.ADDRESS.maxDelay().plus(GuessThrottle.ADDRESS.forgetAfter()));

        assertTrue(throttle.admit("alice", "203.0.113.1").isEmpty());
    }

    @Test
    void sprayingNamesCannotGrowTheStateWithoutBound() {
        for (int i = 0; i < GuessThrottle.MAX_KEYS + 5_000; i++) {
            throttle.admit("name" + i, "203.0.113." + (i % 200));
            clock.advance(Duration.ofMillis(1));
        }

        assertTrue(throttle.size() <= 2 * GuessThrottle.MAX_KEYS);
    }

    @Test
    void sprayingManyNamesDoesNotResetTheCountOfAnAccountUnderAttack() {
        for (int i = 0; i < GuessThrottle.ACCOUNT.freeFailures() + 1; i++) {
            assertTrue(throttle.admit("victim", null).isEmpty());
        }
        // Not blocked any more, but six failures on record.
        clock.advance(Duration.ofSeconds(2));
        for (int i = 0; i < GuessThrottle.MAX_KEYS + 100; i++) {
            throttle.admit("name" + i, "198.51.100." + (i % 250));
        }

        assertTrue(throttle.admit("victim", null).isEmpty(), "the seventh guess is admitted after the wait");
        assertEquals(Optional.of(Duration.ofSeconds(2)), throttle.admit("victim", null),
                "the eighth waits as the seventh failure says: the count survived the spray");
    }
}
