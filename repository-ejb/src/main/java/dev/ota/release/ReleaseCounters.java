package dev.ota.release;

import dev.ota.error.ErrorKind;
import dev.ota.repository.RepositoryFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The release counter rule (device-api.md "Director metadata"): counters increase strictly along a product
 * line, every release sharing a hardware id with another being on its line. A new release's counter is above
 * the highest one ever used by a release for any of its hardware ids, removed releases included, so no counter
 * is ever used twice on a line and no device, which refuses a lower counter than it runs, can be sent back.
 * <p>
 * Holds the highest counter per hardware id as read from the releases table under the publish lock, and moves
 * it with every counter it hands out, so one import of many releases of a line numbers them in archive order.
 */
final class ReleaseCounters {
    /** The largest integer every TUF client reads exactly (PortableJson): a counter is signed into custom. */
    static final long MAX = 9_007_199_254_740_991L;

    private final Map<String, Long> highest = new HashMap<>();

    /** @param highestUsed the highest counter used so far for each hardware id; ids not in it have used none */
    ReleaseCounters(Map<String, Long> highestUsed) {
        highest.putAll(highestUsed);
    }

    /**
     * @param highestPerSet the highest counter per set of hardware ids as a release row stores them (comma-joined);
     *                      each id of a set has used that counter
     */
    static ReleaseCounters ofHardwareSets(Map<String, Long> highestPerSet) {
        Map<String, Long> perId = new HashMap<>();
        highestPerSet.forEach((set, counter) -> {
            for (String h : set.split(",")) {
                if (!h.isEmpty()) {
                    perId.merge(h, counter, Math::max);
                }
            }
        });
        return new ReleaseCounters(perId);
    }

    /** The highest counter any of these hardware ids used; 0 when none did (so the first counter is 1). */
    long floor(List<String> hardwareIds) {
        long floor = 0;
        for (String h : hardwareIds) {
            floor = Math.max(floor, highest.getOrDefault(h, 0L));
        }
        return floor;
    }

    /**
     * The counter of a new release of these hardware ids: {@code given} when it is above the floor, the next
     * one when none is given; recorded as the new highest of each id.
     *
     * @throws RepositoryFailure {@code release.counter-not-above} (409) naming the floor, when {@code given} is
     *                           not above it; {@code release.counter-exhausted} when the line has no counter left
     */
    long assign(List<String> hardwareIds, OptionalLong given) {
        long floor = floor(hardwareIds);
        long counter;
        if (given.isPresent()) {
            counter = given.getAsLong();
            if (counter <= floor) {
                throw new RepositoryFailure("release.counter-not-above", ErrorKind.CONFLICT, "release counter "
                        + counter + " is not above " + floor + ", the highest a release for " + hardwareIds
                        + " has used; give a counter above " + floor + " or leave it out to get " + (floor + 1));
            }
        } else {
            if (floor >= MAX) {
                throw new RepositoryFailure("release.counter-exhausted", ErrorKind.CONFLICT, "the product line of "
                        + hardwareIds + " has used the highest release counter, " + MAX);
            }
            counter = floor + 1;
        }
        for (String h : hardwareIds) {
            highest.put(h, counter);
        }
        return counter;
    }

    /** A given counter's range, checked with the upload's other fields before any byte is stored. */
    static void requireValid(OptionalLong given) {
        if (given.isPresent() && (given.getAsLong() < 1 || given.getAsLong() > MAX)) {
            throw new RepositoryFailure("release.invalid-counter", ErrorKind.INVALID_INPUT, "a release counter is an "
                    + "integer from 1 to " + MAX + "; got " + given.getAsLong());
        }
    }
}
