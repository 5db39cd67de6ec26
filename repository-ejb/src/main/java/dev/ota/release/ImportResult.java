package dev.ota.release;

/**
 * What a bulk import published, in one publish: how many releases and bytes, the snapshot and
 * timestamp versions that list them, and how many metadata files were signed.
 */
public record ImportResult(int imported, long bytes, long snapshotVersion, long timestampVersion, int filesSigned) {
}
