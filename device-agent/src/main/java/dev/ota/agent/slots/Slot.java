package dev.ota.agent.slots;

/** One of the two system slots of an A/B device. */
public enum Slot {
    A, B;

    public Slot other() {
        return this == A ? B : A;
    }

    public String dirName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
