package dev.ota.agent.install;

/** The agent refused a target before touching the device: wrong hardware, a downgrade, or no version. */
public final class UpdateRefusedException extends RuntimeException {
    public UpdateRefusedException(String message) {
        super(message);
    }
}
