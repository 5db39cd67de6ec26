package dev.ota.agent.install;

import dev.ota.agent.install.StatusReports.State;
import dev.ota.agent.slots.BootLoader;
import dev.ota.agent.slots.BootState;
import dev.ota.agent.slots.BootStateStore;
import dev.ota.agent.slots.Slot;
import dev.ota.agent.slots.SlotStore;
import dev.ota.agent.slots.SlotStore.Release;
import dev.ota.protocol.MalformedDocumentException;
import dev.ota.protocol.ReleaseFields;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.metadata.TargetFile;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * An A/B install that survives power loss: verify, write the inactive slot, read it back, put it on trial,
 * boot it, check its health, then commit or fall back. Every step is journalled before the next one relies
 * on it, and {@link #powerOn()} resumes or rolls back from whatever step a power loss left.
 * <p>
 * Invariant: the boot selection names a slot as trial only after its image was read back with the hash the
 * trusted metadata lists, so an unverified slot is never booted.
 */
public final class Installer {
    private final Supplier<Updater> updaters;
    private final URI targetsUrl;
    private final String hardwareId;
    private final Path stagingDir;
    private final SlotStore slots;
    private final BootStateStore bootState;
    private final BootLoader bootLoader;
    private final Journal journal;
    private final HealthCheck health;
    private final StatusReports reports;
    private final int maxTrialBoots;
    private final Optional<Runnable> reboot;

    public Installer(Supplier<Updater> updaters, URI targetsUrl, String hardwareId, Path stateDir, SlotStore slots,
                     Journal journal, HealthCheck health, StatusReports reports, int maxTrialBoots,
                     Optional<Runnable> reboot) {
        this.updaters = updaters;
        this.targetsUrl = targetsUrl;
        this.hardwareId = hardwareId;
        this.stagingDir = stateDir.resolve("staging");
        this.slots = slots;
        this.bootState = new BootStateStore(stateDir);
        this.bootLoader = new BootLoader(bootState);
        this.journal = journal;
        this.health = health;
        this.reports = reports;
        this.maxTrialBoots = maxTrialBoots;
        this.reboot = reboot;
    }

    /** The outcome of an update or a power-on, as the CLI prints it. */
    public record Outcome(Step step, Slot running, String version, String reason) {
    }

    /**
     * Installs {@code targetPath} if the trusted metadata lists it for this hardware at a release counter not lower
     * than the running one, or, for releases without a counter, at a version not lower than the running one
     * ({@code allowDowngrade} lifts the version rule, never the counter rule).
     */
    public Outcome update(String targetPath, boolean allowDowngrade) {
        return update(targetPath, allowDowngrade, Optional.empty());
    }

    /**
     * Installs {@code targetPath} as a director ordered it: as {@link #update(String, boolean)} without a downgrade,
     * and only while the image repository still lists it with exactly the length and hashes the order names.
     */
    public Outcome update(String targetPath, long length, Map<String, String> hashes) {
        return update(targetPath, false, Optional.of(new TargetFile(length, hashes, Optional.empty(), Map.of())));
    }

    private Outcome update(String targetPath, boolean allowDowngrade, Optional<TargetFile> ordered) {
        Optional<Journal.Entry> last = journal.last();
        if (last.isPresent() && !last.get().step().isFinal()) {
            throw new IllegalStateException("an install is in progress (step " + last.get().step() + "); power on first");
        }
        BootState state = bootState.read();
        Slot running = state.committed();
        Slot inactive = running.other();
        Release runningRelease = slots.release(running).orElse(new Release("", "0", ""));
        String installed = runningRelease.version();
        journal.record(Step.STARTED, Map.of("target", targetPath, "slot", inactive.name()));
        String version = null;
        OptionalLong counter = OptionalLong.empty();
        try {
            Updater updater = updaters.get();
            updater.refresh();
            TargetFile target = updater.findTarget(targetPath);
            if (ordered.isPresent() && (ordered.get().length() != target.length() || !ordered.get().hashes().equals(target.hashes()))) {
                throw new UpdateRefusedException(targetPath + " is listed with other length or hashes than ordered");
            }
            ReleaseFields release = checkApplicable(targetPath, target, runningRelease, allowDowngrade);
            version = release.version().orElseThrow();
            counter = release.releaseCounter();
            reports.report(State.DOWNLOADING, targetPath, version, null);
            Files.createDirectories(stagingDir);
            Path image = updater.downloadTarget(targetPath, target, targetsUrl, stagingDir);
            String sha256 = target.hashes().get("sha256");
            if (sha256 == null) throw new UpdateRefusedException(targetPath + " lists no sha256 hash");
            journal.record(Step.DOWNLOADED, Map.of("target", targetPath, "version", version, "sha256", sha256));
            reports.report(State.INSTALLING, targetPath, version, null);
            slots.write(inactive, image, new Release(targetPath, version, sha256, counter));
            journal.record(Step.WRITTEN, Map.of("target", targetPath, "version", version, "slot", inactive.name()));
            Files.deleteIfExists(image);
        } catch (RuntimeException | IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            journal.record(Step.ABANDONED, Map.of("target", targetPath, "reason", reason));
            reports.report(State.FAILED, targetPath, version, reason);
            return new Outcome(Step.ABANDONED, running, installed, reason);
        }
        bootState.write(state.withTrial(inactive, maxTrialBoots));
        journal.record(Step.TRIAL, Map.of("target", targetPath, "version", version, "slot", inactive.name()));
        reports.report(State.TRIAL, targetPath, version, null);
        if (reboot.isPresent()) {
            reboot.get().run();
            return new Outcome(Step.TRIAL, running, installed, "rebooting into slot " + inactive);
        }
        return powerOn();
    }

    /**
     * The release fields the image repository signed for the target (read through device-protocol, strictly),
     * checked against this device: its hardware, then the release counter when the running release has one (the
     * offered one must have one too, never lower, also not with {@code allowDowngrade}: a rollback is a re-release
     * of the old bytes with a higher counter), else the version text as before counters existed.
     */
    private ReleaseFields checkApplicable(String path, TargetFile target, Release installed, boolean allowDowngrade) {
        ReleaseFields release;
        try {
            release = ReleaseFields.fromCustom(target.custom());
        } catch (MalformedDocumentException e) {
            throw new UpdateRefusedException(path + " has malformed release fields: " + e.getMessage());
        }
        if (!release.isFor(hardwareId)) {
            throw new UpdateRefusedException(path + " is for hardware " + release.hardwareIds() + ", not for this device's " + hardwareId);
        }
        String version = release.version().orElseThrow(() -> new UpdateRefusedException(path + " has no custom version"));
        if (release.releaseCounter().isEmpty() && installed.releaseCounter().isPresent()) {
            // Installing it would also drop the counter this device keeps, and with it the floor for every later update.
            throw new UpdateRefusedException(path + " has no release counter, but the running release has "
                    + installed.releaseCounter().getAsLong() + " (a release without one cannot prove it is not older)");
        }
        if (release.releaseCounter().isPresent() && installed.releaseCounter().isPresent()) {
            long offered = release.releaseCounter().getAsLong();
            long running = installed.releaseCounter().getAsLong();
            if (offered < running) {
                throw new UpdateRefusedException(path + " has release counter " + offered + ", lower than the running release's "
                        + running + " (a rollback is a re-release with a higher counter)");
            }
            return release;
        }
        if (Versions.compare(version, installed.version()) < 0 && !allowDowngrade) {
            throw new UpdateRefusedException(path + " version " + version + " is lower than installed " + installed.version()
                    + " (an explicit rollback is needed)");
        }
        return release;
    }

    /**
     * A power-on: the boot loader picks a slot (using up a trial boot), then the agent finishes whatever the
     * journal left open: health check and commit or fall back for a trial slot, and clean abandonment for an
     * install cut off before its slot went on trial.
     */
    public Outcome powerOn() {
        BootLoader.Boot boot = bootLoader.powerOn();
        Optional<Journal.Entry> last = journal.last();
        String target = last.map(e -> e.get("target")).orElse(null);
        String version = last.map(e -> e.get("version")).orElse(null);
        if (boot.trialsExhausted()) {
            return rolledBack(boot.slot(), target, version, "trial slot failed to come up healthy within " + maxTrialBoots + " boots");
        }
        if (!boot.onTrial()) {
            Step lastStep = last.map(Journal.Entry::step).orElse(Step.COMMITTED);
            if (lastStep == Step.TRIAL || lastStep == Step.BOOTED) {
                // The selection was changed but the journal line after it was lost: the selection tells what happened.
                Slot trialSlot = Slot.valueOf(last.get().get("slot"));
                if (boot.slot() == trialSlot) {
                    journal.record(Step.COMMITTED, Map.of("target", target, "version", version == null ? "" : version, "slot", trialSlot.name()));
                    reports.report(State.COMMITTED, target, version, null);
                    return new Outcome(Step.COMMITTED, trialSlot, version, null);
                }
                return rolledBack(boot.slot(), target, version, "trial of slot " + trialSlot + " ended without a commit");
            }
            if (!lastStep.isFinal()) {
                // Cut off before the trial mark: the new slot was never selected, the running one is untouched.
                String reason = "install interrupted after step " + last.get().step();
                journal.record(Step.ABANDONED, Map.of("target", target == null ? "" : target, "reason", reason));
                reports.report(State.FAILED, target, version, reason);
                return new Outcome(Step.ABANDONED, boot.slot(), installedVersion(boot.slot()), reason);
            }
            return new Outcome(last.map(Journal.Entry::step).orElse(Step.COMMITTED), boot.slot(), installedVersion(boot.slot()), null);
        }
        Slot trial = boot.slot();
        journal.record(Step.BOOTED, Map.of("target", target == null ? "" : target, "version", version == null ? "" : version,
                "slot", trial.name()));
        Optional<String> problem = slots.verify(trial) ? health.run(trial.name(), slots.dir(trial))
                : Optional.of("slot " + trial + " does not match its recorded hash");
        if (problem.isPresent()) {
            bootState.write(bootState.read().withoutTrial());
            return rolledBack(bootState.read().committed(), target, version, problem.get());
        }
        bootState.write(bootState.read().committedTo(trial));
        journal.record(Step.COMMITTED, Map.of("target", target == null ? "" : target, "version", version == null ? "" : version,
                "slot", trial.name()));
        reports.report(State.COMMITTED, target, version, null);
        return new Outcome(Step.COMMITTED, trial, version, null);
    }

    private Outcome rolledBack(Slot running, String target, String version, String reason) {
        journal.record(Step.ROLLED_BACK, Map.of("target", target == null ? "" : target, "reason", reason, "slot", running.name()));
        reports.report(State.ROLLED_BACK, target, version, reason);
        return new Outcome(Step.ROLLED_BACK, running, installedVersion(running), reason);
    }

    private String installedVersion(Slot slot) {
        return slots.release(slot).map(Release::version).orElse("0");
    }

}
