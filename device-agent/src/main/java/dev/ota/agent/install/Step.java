package dev.ota.agent.install;

/** Journal steps of one install, in order. Recovery after a power loss looks only at the last one. */
public enum Step {
    /** An update of a target started; nothing on the device changed yet. */
    STARTED,
    /** The image is in the staging area, length and hashes verified against trusted metadata. */
    DOWNLOADED,
    /** The image is in the inactive slot and read back with the right hash. */
    WRITTEN,
    /** The boot selection names the new slot as trial: the next power-on boots it. */
    TRIAL,
    /** The trial slot is running; its health check is due. */
    BOOTED,
    /** Health check passed: the new slot is committed. Final. */
    COMMITTED,
    /** The device is back on the slot it ran before. Final. */
    ROLLED_BACK,
    /** Stopped before the device changed (refused, download failed, interrupted before trial). Final. */
    ABANDONED;

    public boolean isFinal() {
        return this == COMMITTED || this == ROLLED_BACK || this == ABANDONED;
    }
}
