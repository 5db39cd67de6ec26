package dev.ota.tuf.trust;

/** What loading new metadata did: "same version as before" is a normal outcome, not an error. */
public enum UpdateOutcome {
    UPDATED,
    UNCHANGED
}
