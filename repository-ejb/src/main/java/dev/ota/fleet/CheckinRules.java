package dev.ota.fleet;

/**
 * Pure rules of a check-in whose signature verified (device-api.md, "Check-in"): the byte-identical resend of the
 * last accepted check-in gets the same answer; any other check-in must carry a counter above the last accepted
 * one. The store applies {@link Verdict#ACCEPT} with a compare-and-set on the counter, so two check-ins that both
 * pass here with the same counter cannot both be accepted.
 */
public final class CheckinRules {
    private CheckinRules() {
    }

    public enum Verdict { ACCEPT, RESEND, REPLAYED, NOT_ACCEPTED }

    /**
     * @param lastCounter the last accepted counter, null before the first check-in
     * @param lastSha256  the SHA-256 of the last accepted check-in body, null before the first
     */
    public static Verdict decide(DeviceStatus status, Long lastCounter, String lastSha256, long counter, String bodySha256) {
        if (status != DeviceStatus.ACCEPTED) return Verdict.NOT_ACCEPTED;
        if (lastSha256 != null && lastSha256.equals(bodySha256)) return Verdict.RESEND;
        return counterAbove(lastCounter, counter) ? Verdict.ACCEPT : Verdict.REPLAYED;
    }

    /** A device's counters (check-ins and key rotations) only ever go up. */
    public static boolean counterAbove(Long lastCounter, long counter) {
        return lastCounter == null || counter > lastCounter;
    }

    /** A configuration backup is kept only when its version is above the last one kept. */
    public static boolean configVersionAbove(Long lastVersion, long version) {
        return lastVersion == null || version > lastVersion;
    }

    /** The server asks for an upload when the device holds a newer configuration than the last one kept. */
    public static boolean wantsConfigUpload(Long lastKeptVersion, Long reportedVersion) {
        return reportedVersion != null && reportedVersion > 0 && (lastKeptVersion == null || reportedVersion > lastKeptVersion);
    }

    /**
     * The poll interval with jitter, so devices that started together spread out: {@code base} plus or minus
     * {@code jitterFraction} of it, where {@code random} is uniform in [0, 1).
     */
    public static long pollAfterSeconds(long base, double jitterFraction, double random) {
        double spread = base * jitterFraction;
        long value = Math.round(base - spread + 2 * spread * random);
        return Math.max(1, value);
    }
}
