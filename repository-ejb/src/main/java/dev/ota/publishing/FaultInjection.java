package dev.ota.publishing;

import dev.ota.installation.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets the integration tests simulate a crash in the middle of a publish: with
 * {@code OTA_ALLOW_FAULT_INJECTION=true} in the server's environment (never in production), a file
 * {@code fault-injection} in the data directory naming a point makes that point throw (the
 * transaction rolls back), or, written as {@code halt <point>}, end the server's process on the
 * spot as a power cut would: no rollback, no shutdown hooks, the database left to its own recovery.
 * Without the variable every point is a no-op that reads nothing.
 */
public final class FaultInjection {
    /** Prefix of the points after each publish step: {@code publish.after-root}, {@code -targets}, {@code -snapshot}. */
    static final String AFTER = "publish.after-";
    static final String BEFORE_HEAD_MOVE = "publish.before-head-move";
    static final String BEFORE_COMMIT = "publish.before-commit";
    public static final String IMPORT_AFTER_BLOBS_PLACED = "import.after-blobs-placed";
    /** Exit status of a halted server, recognisable in the test's process handle. */
    static final int HALT_STATUS = 86;
    private static final boolean ALLOWED = "true".equals(System.getenv("OTA_ALLOW_FAULT_INJECTION"));

    private FaultInjection() {
    }

    public static void point(String name) {
        if (!ALLOWED) {
            return;
        }
        Path trigger = DataDirectory.path().resolve("fault-injection");
        try {
            if (!Files.isRegularFile(trigger)) {
                return;
            }
            String wanted = Files.readString(trigger).strip();
            if (wanted.equals(name)) {
                throw new SimulatedCrash(name);
            }
            if (wanted.equals("halt " + name)) {
                Runtime.getRuntime().halt(HALT_STATUS);
            }
        } catch (java.io.IOException e) {
            // An unreadable trigger file injects nothing.
        }
    }

    /** The publish step a role's file belongs to: root, targets (top-level and delegated), snapshot or timestamp. */
    static String publishStep(String role) {
        return switch (role) {
            case "root", "snapshot", "timestamp" -> role;
            default -> "targets";
        };
    }

    /** The failure an injected point throws; not an application exception, so it rolls back. */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String point) {
            super("simulated crash at " + point);
        }
    }
}
