package dev.ota.agent.slots;

import java.util.Optional;

/**
 * What the boot loader reads at power-on: the committed (last good) slot and, during an update, a slot on
 * trial with the number of trial boots it has left. Records only; {@link BootLoader} decides.
 */
public record BootState(Slot committed, Optional<Slot> trial, int trialBootsLeft) {
    public BootState {
        if (trial.isPresent() && trial.get() == committed) throw new IllegalArgumentException("trial slot must differ from the committed one");
        if (trialBootsLeft < 0) throw new IllegalArgumentException("trialBootsLeft must not be negative");
    }

    public static BootState factory() {
        return new BootState(Slot.A, Optional.empty(), 0);
    }

    public BootState withTrial(Slot slot, int boots) {
        return new BootState(committed, Optional.of(slot), boots);
    }

    public BootState withoutTrial() {
        return new BootState(committed, Optional.empty(), 0);
    }

    public BootState committedTo(Slot slot) {
        return new BootState(slot, Optional.empty(), 0);
    }
}
