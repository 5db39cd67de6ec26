package dev.ota.agent.slots;

/**
 * The simulated boot loader: at each power-on it picks the slot to run. A slot on trial is booted while it
 * has trial boots left, each boot using one up; once none are left the loader returns to the committed slot
 * by itself. That guards against boot loops without any help from the agent or the server.
 */
public final class BootLoader {
    private final BootStateStore store;

    public BootLoader(BootStateStore store) {
        this.store = store;
    }

    /** A power-on: returns the slot that runs and persists the boot count before it runs. */
    public Boot powerOn() {
        BootState s = store.read();
        if (s.trial().isEmpty()) return new Boot(s.committed(), false);
        if (s.trialBootsLeft() <= 0) {
            store.write(s.withoutTrial());
            return new Boot(s.committed(), false, true);
        }
        store.write(s.withTrial(s.trial().get(), s.trialBootsLeft() - 1));
        return new Boot(s.trial().get(), true);
    }

    /**
     * @param slot            the slot running now
     * @param onTrial         it is the slot on trial, not yet committed
     * @param trialsExhausted the loader has just abandoned a trial slot that used up its boots
     */
    public record Boot(Slot slot, boolean onTrial, boolean trialsExhausted) {
        Boot(Slot slot, boolean onTrial) {
            this(slot, onTrial, false);
        }
    }
}
