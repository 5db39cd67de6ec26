package dev.ota.repository;

import dev.ota.installation.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets the integration tests simulate a crash in the middle of a publish: with
 * {@code OTA_ALLOW_FAULT_INJECTION=true} in the server's environment (never in production), a file
 * {@code fault-injection} in the data directory naming a point makes that point throw. Without the
 * variable every point is a no-op that reads nothing.
 */
final class FaultInjection {
    static final String BEFORE_HEAD_MOVE = "publish.before-head-move";
    static final String IMPORT_AFTER_BLOBS_PLACED = "import.after-blobs-placed";
    private static final boolean ALLOWED = "true".equals(System.getenv("OTA_ALLOW_FAULT_INJECTION"));

    private FaultInjection() {
    }

    static void point(String name) {
        if (!ALLOWED) {
            return;
        }
        Path trigger = DataDirectory.path().resolve("fault-injection");
        try {
            if (Files.isRegularFile(trigger) && Files.readString(trigger).strip().equals(name)) {
                throw new SimulatedCrash(name);
            }
        } catch (java.io.IOException e) {
            // An unreadable trigger file injects nothing.
        }
    }

    /** The failure an injected point throws; not an application exception, so it rolls back. */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String point) {
            super("simulated crash at " + point);
        }
    }
}
