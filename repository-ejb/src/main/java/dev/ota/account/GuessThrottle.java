package dev.ota.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing, separately per account and per client address (see README, "Password
 * guessing"). Each key may fail a few times freely; after that every attempt must wait a delay that
 * doubles with each further failure up to a cap, and an attempt made during the wait is refused
 * without looking at the password (so it costs no PBKDF2 computation). An address gets a small free
 * budget and a long cap, an account a larger free budget and a short cap: one attacker's address is
 * slowed far more than the account it attacks, and the account's own user, signing in from
 * elsewhere, waits at most the account's cap. Failures are forgotten after a quiet period.
 *
 * <p>An admitted attempt is counted as a failure at once and given back if the password was right,
 * so that parallel requests cannot all slip through before the first failure is counted. Thread-safe;
 * state is per server process, so N servers allow N times the rate.
 */
final class GuessThrottle {
    /** How one kind of key is throttled. */
    record Policy(int freeFailures, Duration firstDelay, Duration maxDelay, Duration forgetAfter) {
        Duration delayAfter(int failures) {
            if (failures <= freeFailures) {
                return Duration.ZERO;
            }
            int doublings = Math.min(failures - freeFailures - 1, 30);
            Duration d = firstDelay.multipliedBy(1L << doublings);
            return d.compareTo(maxDelay) > 0 ? maxDelay : d;
        }
    }

    /** An account's user may be locked out by someone else's guesses for at most half a minute. */
    static final Policy ACCOUNT = new Policy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(15));
    /** One address guessing at any accounts: ten free, then 2 s doubling to 15 minutes. */
    static final Policy ADDRESS = new Policy(10, Duration.ofSeconds(2), Duration.ofMinutes(15), Duration.ofHours(1));
    /** Keys kept at most (an attacker spraying names or addresses must not exhaust memory). */
    static final int MAX_KEYS = 20_000;

    private final Clock clock;
    private final Map<String, State> accounts = new ConcurrentHashMap<>();
    private final Map<String, State> addresses = new ConcurrentHashMap<>();

    GuessThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Admits one password attempt for the account from the address, or says how long to wait.
     * An admitted attempt must be followed by {@link #succeeded} when the password was right. A null
     * address (the server's own host, see README) is counted against the account only.
     */
    synchronized Optional<Duration> admit(String account, String address) {
        Instant now = clock.instant();
        State acc = state(accounts, account, ACCOUNT, now);
        State addr = address == null ? new State() : state(addresses, address, ADDRESS, now);
        Duration wait = max(acc.remaining(now), addr.remaining(now));
        if (!wait.isZero()) {
            return Optional.of(roundUp(wait));
        }
        acc.fail(ACCOUNT, now);
        addr.fail(ADDRESS, now);
        return Optional.empty();
    }

    /**
     * The admitted attempt was right: the account's count starts again (its user is back), and the
     * address gets back the one failure counted in advance but keeps the rest, so an insider cannot
     * wipe the address's record by signing in to their own account between guesses.
     */
    synchronized void succeeded(String account, String address) {
        accounts.remove(account);
        State addr = address == null ? null : addresses.get(address);
        if (addr != null) {
            addr.giveBack(ADDRESS);
        }
    }

    /** Keys held (for the test that sprays names). */
    synchronized int size() {
        return accounts.size() + addresses.size();
    }

    private State state(Map<String, State> map, String key, Policy policy, Instant now) {
        State s = map.get(key);
        if (s != null && s.forgotten(policy, now)) {
            map.remove(key);
            s = null;
        }
        if (s == null) {
            if (map.size() >= MAX_KEYS) {
                map.values().removeIf(v -> v.forgotten(policy, now));
            }
            if (map.size() >= MAX_KEYS) {
                // Full of live records: give up the one with the fewest failures (the oldest of those), so a
                // spray of single guesses at many names pushes out other sprayed names, never the record of
                // an account under attack, whose failures are what keep it throttled.
                map.entrySet().stream()
                        .min(Comparator.comparingInt((Map.Entry<String, State> e) -> e.getValue().failures)
                                .thenComparing(e -> e.getValue().lastFailure))
                        .map(Map.Entry::getKey).ifPresent(map::remove);
            }
            s = new State();
            map.put(key, s);
        }
        return s;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Retry-After is in whole seconds; never tell a client to come back before the wait is over. */
    private static Duration roundUp(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, s));
    }

    private static final class State {
        private int failures;
        private Instant lastFailure = Instant.MIN;
        private Instant blockedUntil = Instant.MIN;

        boolean forgotten(Policy policy, Instant now) {
            return failures > 0 && !now.isBefore(lastFailure.plus(policy.forgetAfter()))
                    && !now.isBefore(blockedUntil);
        }

        Duration remaining(Instant now) {
            return now.isBefore(blockedUntil) ? Duration.between(now, blockedUntil) : Duration.ZERO;
        }

        void fail(Policy policy, Instant now) {
            failures++;
            lastFailure = now;
            Duration delay = policy.delayAfter(failures);
            if (!delay.isZero()) {
                blockedUntil = now.plus(delay);
            }
        }

        void giveBack(Policy policy) {
            if (failures > 0) {
                failures--;
            }
            if (policy.delayAfter(failures + 1).isZero()) {
                blockedUntil = Instant.MIN;
            }
        }
    }
}
