package dev.ota.portal;

import dev.ota.rollouts.RolloutView;
import java.util.List;
import java.util.Map;

/**
 * The live rollout page's numbers, computed once per refresh so the page binds values and never does arithmetic:
 * per wave its counts and the widths of its progress bar (succeeded, failed, in progress, as shares of its members),
 * and which commands the rollout's state admits (fleet.md's states; the server decides again on each command).
 */
public final class RolloutProgress {
    private RolloutProgress() {
    }

    /**
     * One wave as the page shows it; index 0 is the canary.
     *
     * @param inProgress members neither succeeded nor finally failed (assigned, downloading, waiting, retrying)
     */
    public record Wave(String label, String state, int members, int succeeded, int failed, int inProgress,
                String succeededWidth, String failedWidth, String inProgressWidth) {
        /** CSS for the bar's segments: inline style is what the portal's CSP allows (style-src 'unsafe-inline'). */
        public String succeededStyle() {
            return "width: " + succeededWidth;
        }

        public String failedStyle() {
            return "width: " + failedWidth;
        }

        public String inProgressStyle() {
            return "width: " + inProgressWidth;
        }
    }

    static List<Wave> waves(List<RolloutView.WaveView> waves) {
        return waves.stream().map(RolloutProgress::wave).toList();
    }

    static Wave wave(RolloutView.WaveView w) {
        int inProgress = Math.max(0, w.members() - w.succeeded() - w.failed());
        return new Wave(w.index() == 0 ? "Canary" : "Wave " + w.index(), w.state(), w.members(), w.succeeded(),
                w.failed(), inProgress, width(w.succeeded(), w.members()), width(w.failed(), w.members()),
                width(inProgress, w.members()));
    }

    /** A share in percent with one decimal, "0%" for an empty wave: the segments of a bar add up to 100%. */
    static String width(int part, int whole) {
        if (whole <= 0 || part <= 0) {
            return "0%";
        }
        long tenths = Math.round(part * 1000.0 / whole);
        return (tenths / 10) + (tenths % 10 == 0 ? "" : "." + (tenths % 10)) + "%";
    }

    /** How many devices finally failed with one failure class ({@code install:}, {@code download:}, ...). */
    public record Failures(String failureClass, int devices) {
    }

    static List<Failures> failures(Map<String, Integer> byClass) {
        return byClass.entrySet().stream().map(e -> new Failures(e.getKey(), e.getValue())).toList();
    }

    /** The commands fleet.md's rollout states admit. */
    public enum Command { SUBMIT, APPROVE, START, PAUSE, RESUME, CANCEL }

    static List<Command> admitted(String state) {
        return switch (state) {
            case "DRAFT" -> List.of(Command.SUBMIT, Command.CANCEL);
            case "AWAITING_APPROVAL" -> List.of(Command.APPROVE, Command.CANCEL);
            case "SCHEDULED" -> List.of(Command.START, Command.CANCEL);
            case "RUNNING" -> List.of(Command.PAUSE, Command.CANCEL);
            case "PAUSED" -> List.of(Command.RESUME, Command.CANCEL);
            default -> List.of();
        };
    }
}
