package dev.ota.agent.install;

/** The agent refused a target before touching the device: wrong hardware, a lower release counter, a
 * downgrade, no version, or release fields of the wrong type. */
public final class UpdateRefusedException extends RuntimeException {
    public UpdateRefusedException(String message) {
        super(message);
    }
}
