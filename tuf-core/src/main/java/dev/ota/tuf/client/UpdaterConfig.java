package dev.ota.tuf.client;

/**
 * Limits of one refresh. Defaults follow python-tuf's ngclient: they bound what a hostile repository can make
 * a device download or visit.
 *
 * @param maxRootRotations    most {@code N.root.json} files fetched per refresh
 * @param maxDelegations      most delegated roles visited in one target search, besides top-level targets (as
 *                            python-tuf counts them)
 * @param rootMaxLength       cap for root files
 * @param timestampMaxLength  cap for timestamp.json
 * @param snapshotMaxLength   cap for snapshot when timestamp lists no length
 * @param targetsMaxLength    cap for targets roles when snapshot lists no length
 * @param prefixTargetsWithHash download targets as {@code HASH.NAME} when consistent snapshots are on
 * @param resumeDownloads     keep the bytes of an interrupted target download in the target folder and ask for the
 *                            rest next time (a device on a slow link); off by default, so the folder only ever holds
 *                            verified targets (the TUF CLI's contract, agent-cli.md)
 */
public record UpdaterConfig(int maxRootRotations, int maxDelegations, long rootMaxLength, long timestampMaxLength,
                            long snapshotMaxLength, long targetsMaxLength, boolean prefixTargetsWithHash,
                            boolean resumeDownloads) {
    public UpdaterConfig {
        if (maxRootRotations < 1 || maxDelegations < 1) throw new IllegalArgumentException("limits must be positive");
        if (rootMaxLength < 1 || timestampMaxLength < 1 || snapshotMaxLength < 1 || targetsMaxLength < 1) {
            throw new IllegalArgumentException("length caps must be positive");
        }
    }

    public static UpdaterConfig defaults() {
        return new UpdaterConfig(256, 32, 512_000, 16_384, 2_000_000, 5_000_000, true, false);
    }

    public UpdaterConfig withMaxDelegations(int n) {
        return new UpdaterConfig(maxRootRotations, n, rootMaxLength, timestampMaxLength, snapshotMaxLength, targetsMaxLength, prefixTargetsWithHash,
                resumeDownloads);
    }

    public UpdaterConfig withMaxRootRotations(int n) {
        return new UpdaterConfig(n, maxDelegations, rootMaxLength, timestampMaxLength, snapshotMaxLength, targetsMaxLength, prefixTargetsWithHash,
                resumeDownloads);
    }

    public UpdaterConfig withResumeDownloads(boolean resume) {
        return new UpdaterConfig(maxRootRotations, maxDelegations, rootMaxLength, timestampMaxLength, snapshotMaxLength,
                targetsMaxLength, prefixTargetsWithHash, resume);
    }
}
