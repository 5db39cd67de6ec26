package dev.ota.agent.director;

import dev.ota.agent.device.StateCommand;
import dev.ota.agent.fleet.Action;
import dev.ota.agent.fleet.DeviceJournal;
import dev.ota.agent.fleet.DeviceRequests;
import dev.ota.agent.install.Installer;
import dev.ota.agent.install.Journal;
import dev.ota.agent.install.Step;
import dev.ota.protocol.CheckinResponse;
import dev.ota.protocol.DirectorRules;
import dev.ota.protocol.DirectorTarget;
import dev.ota.protocol.MalformedDocumentException;
import dev.ota.protocol.Report;
import dev.ota.protocol.Report.State;
import dev.ota.tuf.DownloadException;
import dev.ota.tuf.RepositoryException;
import dev.ota.tuf.client.TargetNotFoundException;
import dev.ota.tuf.client.Updater;
import dev.ota.tuf.client.UrlEncoding;
import dev.ota.tuf.json.JsonValue;
import dev.ota.tuf.metadata.TargetFile;
import dev.ota.tuf.metadata.Targets;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The device following its director, one step per check-in cycle (device-api.md, "Director metadata"; fleet.md,
 * "Rollouts"). When a check-in answer names a director timestamp version above the one processed last, the
 * director repository and then the image repository are refreshed and the listed target is checked with
 * {@link DirectorRules}: a broken rule or a rejected refresh is reported REFUSED {@code attack:} and nothing is
 * downloaded or trusted. An accepted order goes ASSIGNED, DOWNLOADING, DOWNLOADED, then WAITING_WINDOW or
 * WAITING_DEVICE for as long as {@link InstallGate} says, INSTALLING, TRIAL and SUCCEEDED only after a committed
 * boot (or ROLLED_BACK, FAILED). Every state is written to the device journal before it is relied on and reported
 * through the following check-ins, so a restart resumes where the journal stands ({@link #powerOn()}). The desired
 * configuration the director lists next to the order is followed first ({@link DesiredConfiguration}; one that
 * cannot be fetched is tried again at each check-in and holds up no order); bytes
 * altered on the way are reported REFUSED {@code attack:} under the action id {@code config-<sha256 prefix>}.
 * The staging folder holds the order in force's image only, whole or the bytes a cut download keeps for the next
 * attempt to resume from: those of any other image are deleted at start-up and whenever the order changes
 * ({@link #dropStrayDownloads}).
 */
public final class DirectorFollower {
    private static final int MAX_DETAIL = 2000;
    /** The desired configuration travels as a director target under this folder; it is not an image. */
    private static final String CONFIG_TARGETS = "config/";
    /** The director re-signs a file fetched when it expires within 12 hours (fleet.md); ask a little before that. */
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofHours(11);

    private final String deviceId;
    private final String hardwareId;
    private final DeviceJournal journal;
    private final DirectorRepository director;
    private final Supplier<Updater> images;
    private final URI targetsUrl;
    private final Path stagingDir;
    private final Installer installer;
    private final Journal installJournal;
    private final Supplier<OptionalLong> runningReleaseCounter;
    private final Supplier<StateCommand.Reading> state;
    private final Clock clock;
    private final PrintStream log;
    private final DesiredConfiguration desiredConfig;
    /** The listed desired configuration could not be fetched or applied; kept in memory (a restart waits for the next version). */
    private boolean configPending;
    private Instant staleRefreshAt;

    public DirectorFollower(String deviceId, String hardwareId, DeviceJournal journal, DirectorRepository director,
                            Supplier<Updater> images, URI targetsUrl, Path installStateDir, Installer installer, Journal installJournal,
                            Supplier<OptionalLong> runningReleaseCounter, Supplier<StateCommand.Reading> state, Clock clock,
                            PrintStream log, DesiredConfiguration desiredConfig) {
        this.desiredConfig = desiredConfig;
        this.deviceId = deviceId;
        this.hardwareId = hardwareId;
        this.journal = journal;
        this.director = director;
        this.images = images;
        this.targetsUrl = targetsUrl;
        // The installer's own staging folder: a download made here is found there and not fetched again.
        this.stagingDir = installStateDir.resolve("staging");
        this.installer = installer;
        this.installJournal = installJournal;
        this.runningReleaseCounter = runningReleaseCounter;
        this.state = state;
        this.clock = clock;
        this.log = log;
    }

    /**
     * At start: finishes an install a power loss or a reboot interrupted (the installer's power-on: health check and
     * commit, or fall back) and settles the order it belonged to.
     */
    public void powerOn() {
        dropStrayDownloads(journal.action().filter(a -> !a.cancelled()));
        Optional<Action> open = journal.action().filter(Action::isOpen)
                .filter(a -> a.state() == State.INSTALLING || a.state() == State.TRIAL);
        Optional<Journal.Entry> last = installJournal.last();
        if (last.isPresent() && !last.get().step().isFinal()) {
            Installer.Outcome o = installer.powerOn();
            open.filter(a -> a.path().equals(last.get().get("target"))).ifPresent(a -> settle(a, o));
            return;
        }
        if (open.isEmpty()) return;
        Action a = open.get();
        if (last.isPresent() && a.path().equals(last.get().get("target")) && installStarted(a)) {
            // The install finished (or was finished by "ota-agent power-on") but the order's state was not written.
            settle(a, new Installer.Outcome(last.get().step(), null, null, last.get().get("reason")));
        } else {
            // Cut off before the installer started: installing again is safe, the running slot was never touched.
            install(a);
        }
    }

    /**
     * After an accepted check-in: follow a changed director (or fetch the desired configuration a previous cycle could
     * not), then take the open order one step further.
     */
    public void afterCheckin(CheckinResponse response, Optional<String> token) {
        long announced = response.directorTimestampVersion().orElse(0L);
        if (token.isPresent()) {
            if (announced > journal.directorVersion() || heldOrderGoingStale()) {
                follow(Math.max(announced, journal.directorVersion()), token.get());
            } else if (configPending) {
                retryConfig(token.get());
            }
        }
        journal.action().filter(Action::isOpen).ifPresent(this::progress);
    }

    /** The desired configuration of the director's current targets, once more; orders are left to {@link #follow}. */
    private void retryConfig(String token) {
        DirectorRepository.Refresh refresh = director.refresh(token);
        if (refresh instanceof DirectorRepository.Verified verified
                && DirectorRules.targetsDeviceViolation(deviceId, Optional.ofNullable(verified.targets().signed().unrecognized().get("custom"))).isEmpty()) {
            configPending = !followConfig(verified);
        } else {
            // Refused or unreachable metadata is the business of the next announced version's follow().
            log.println("ota-agent: desired configuration not fetched: director metadata not read; tried again next cycle");
        }
    }

    /**
     * An open order acted on with director metadata that expires within {@link #REFRESH_BEFORE_EXPIRY}: the director
     * re-signs a device's files only when they are fetched, so the version a check-in announces does not move by
     * itself, and a device waiting (busy, critical, offline) would otherwise keep its windows until they had all
     * passed and its metadata until it had expired. Fetching re-signs them with windows from now on.
     */
    private boolean heldOrderGoingStale() {
        if (journal.action().filter(Action::isOpen).isEmpty()) return false;
        Instant now = clock.instant();
        // At most once an hour: metadata a man in the middle keeps frozen would otherwise be refused on every cycle.
        if (staleRefreshAt != null && now.isBefore(staleRefreshAt.plus(Duration.ofHours(1)))) return false;
        boolean stale = director.trustedExpiry().map(e -> !now.isBefore(e.minus(REFRESH_BEFORE_EXPIRY))).orElse(false);
        if (stale) staleRefreshAt = now;
        return stale;
    }

    private void follow(long announced, String token) {
        DirectorRepository.Refresh refresh = director.refresh(token);
        if (refresh instanceof DirectorRepository.Unavailable u) {
            log.println("ota-agent: " + u.why() + "; tried again next cycle");
            return;
        }
        if (refresh instanceof DirectorRepository.Attack a) {
            report(unverifiedActionId(announced), State.REFUSED, a.detail());
            journal.directorProcessed(announced);
            return;
        }
        DirectorRepository.Verified verified = (DirectorRepository.Verified) refresh;
        long processed = Math.max(announced, verified.timestampVersion());
        Targets targets = verified.targets().signed();
        Optional<String> wrongDevice = DirectorRules.targetsDeviceViolation(deviceId, Optional.ofNullable(targets.unrecognized().get("custom")));
        if (wrongDevice.isPresent()) {
            refuse(targets, announced, List.of(wrongDevice.get()));
            journal.directorProcessed(processed);
            return;
        }
        // A configuration that cannot be fetched now is tried again at the next check-in; it never holds up the order.
        configPending = !followConfig(verified);
        List<Map.Entry<String, TargetFile>> ordered = targets.targets().entrySet().stream()
                .filter(e -> !e.getKey().startsWith(CONFIG_TARGETS)).toList();
        if (ordered.isEmpty()) {
            verified.commit().run();
            withdraw();
            // No image is ordered any more: only an install already under way is still in force.
            dropStrayDownloads(journal.action().filter(Action::isOpen));
            journal.directorProcessed(processed);
            return;
        }
        if (ordered.size() > 1) {
            refuse(targets, announced, List.of("attack: director lists " + ordered.size() + " images for this device's one ECU "
                    + ordered.stream().map(Map.Entry::getKey).sorted().toList()));
            journal.directorProcessed(processed);
            return;
        }
        String path = ordered.get(0).getKey();
        TargetFile order = ordered.get(0).getValue();
        Optional<TargetFile> listed;
        try {
            listed = imageListing(path);
        } catch (DownloadException e) {
            log.println("ota-agent: image repository not fetched: " + e.getMessage() + "; tried again next cycle");
            return;
        } catch (RepositoryException e) {
            refuse(targets, announced, List.of("attack: image repository metadata rejected: " + e.getMessage()));
            journal.directorProcessed(processed);
            return;
        }
        List<String> violations = DirectorRules.targetViolations(new DirectorRules.Device(deviceId, hardwareId, runningReleaseCounter.get()),
                path, order, listed);
        if (!violations.isEmpty()) {
            refuse(targets, announced, violations);
            journal.directorProcessed(processed);
            return;
        }
        verified.commit().run();
        take(path, order);
        journal.directorProcessed(processed);
    }

    /** Follows the listed desired configuration; false when it is to be tried again next cycle. */
    private boolean followConfig(DirectorRepository.Verified verified) {
        DesiredConfiguration.Outcome o = desiredConfig.follow(verified.targets().signed().targets(), verified.download());
        if (o instanceof DesiredConfiguration.Retry r) {
            log.println("ota-agent: " + r.why() + "; tried again next cycle");
            return false;
        }
        if (o instanceof DesiredConfiguration.Refused r) report(configActionId(r.version()), State.REFUSED, r.detail());
        if (o instanceof DesiredConfiguration.Applied a) {
            log.println("ota-agent: desired configuration " + a.version() + " applied (" + a.properties() + " properties)");
        }
        return true;
    }

    /** Reports about a configuration name it by its version: no order, so no action id of the director's. */
    private static String configActionId(String version) {
        String hex = version.substring(version.indexOf(':') + 1);
        return "config-" + hex.substring(0, Math.min(16, hex.length()));
    }

    private Optional<TargetFile> imageListing(String path) {
        Updater u = images.get();
        u.refresh();
        try {
            return Optional.of(u.findTarget(path));
        } catch (TargetNotFoundException e) {
            return Optional.empty();
        }
    }

    /** A verified order both repositories agree on: a new one is taken, the open one kept (its windows may change). */
    private void take(String path, TargetFile target) {
        JsonValue custom = target.custom().orElseThrow();
        DirectorTarget order = DirectorTarget.fromCustom(custom);
        Optional<Action> current = journal.action();
        if (current.isPresent() && current.get().sameOrder(order.actionId(), order.attempt())) {
            Action a = current.get();
            if (a.isOpen() && !a.custom().equals(custom)) {
                journal.action(new Action(a.actionId(), a.attempt(), a.path(), a.length(), a.hashes(), custom, a.state(), false));
            }
            // A finished order the director still lists (until it is replaced) is never installed twice.
            return;
        }
        current.filter(Action::isOpen).ifPresent(a -> {
            log.println("ota-agent: action " + a.actionId() + " superseded by " + order.actionId());
            journal.action(a.withdrawn());
        });
        Action taken = new Action(order.actionId(), order.attempt(), path, target.length(), target.hashes(), custom, State.ASSIGNED, false);
        report(taken.actionId(), State.ASSIGNED, "");
        journal.action(taken);
        dropStrayDownloads(Optional.of(taken));
    }

    /** The director lists nothing: an order not yet installing is abandoned (the assignment was cancelled). */
    private void withdraw() {
        Optional<Action> open = journal.action().filter(Action::isOpen);
        if (open.isEmpty()) return;
        Action a = open.get();
        if (a.state() == State.INSTALLING || a.state() == State.TRIAL) return;
        journal.action(a.withdrawn());
        deleteStaged(a.path());
        log.println("ota-agent: action " + a.actionId() + " withdrawn by the director");
    }

    private void progress(Action action) {
        Action a = action;
        if (a.state() == State.ASSIGNED || a.state() == State.DOWNLOADING) {
            Optional<Action> downloaded = download(a);
            if (downloaded.isEmpty()) return;
            a = downloaded.get();
        }
        if (a.state() == State.DOWNLOADED || a.state() == State.WAITING_WINDOW || a.state() == State.WAITING_DEVICE) {
            DirectorTarget order = DirectorTarget.fromCustom(a.custom());
            StateCommand.Reading reading = state.get();
            switch (InstallGate.decide(clock.instant(), order, reading.state())) {
                case WAIT_WINDOW -> {
                    if (a.state() != State.WAITING_WINDOW) move(a, State.WAITING_WINDOW, "outside the install windows");
                }
                case WAIT_DEVICE -> {
                    if (a.state() != State.WAITING_DEVICE) {
                        move(a, State.WAITING_DEVICE, "device " + reading.state().name().toLowerCase(java.util.Locale.ROOT)
                                + reading.reason().map(r -> ": " + r).orElse(""));
                    }
                }
                case INSTALL -> install(a);
            }
        }
    }

    /** Downloads into the staging folder, verified against the image repository's listing, which must still equal the order. */
    private Optional<Action> download(Action action) {
        Action a = action.state() == State.DOWNLOADING ? action : move(action, State.DOWNLOADING, "");
        try {
            Updater u = images.get();
            u.refresh();
            TargetFile listed = u.findTarget(a.path());
            if (listed.length() != a.length() || !listed.hashes().equals(a.hashes())) {
                move(a, State.REFUSED, "attack: the image repository now lists " + a.path() + " with length " + listed.length()
                        + " and hashes other than the order's");
                return Optional.empty();
            }
            Files.createDirectories(stagingDir);
            u.downloadTarget(a.path(), listed, targetsUrl, stagingDir);
        } catch (TargetNotFoundException e) {
            move(a, State.REFUSED, "attack: the image repository no longer lists " + a.path());
            return Optional.empty();
        } catch (RepositoryException e) {
            // Bytes or image metadata that fail verification were altered on the way (issue 12: a man in the middle
            // rewriting image bytes): an attack, refused, not a failure to retry; nothing of it is kept.
            move(a, State.REFUSED, "attack: " + a.path() + " rejected on download: " + e.getMessage());
            deleteStaged(a.path());
            return Optional.empty();
        } catch (DownloadException | IOException | UncheckedIOException e) {
            move(a, State.FAILED, "download: " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(move(a, State.DOWNLOADED, ""));
    }

    private void install(Action action) {
        Action a = action.state() == State.INSTALLING ? action : move(action, State.INSTALLING, "");
        settle(a, installer.update(a.path(), a.length(), a.hashes()));
    }

    /** Reports what the installer ended on; SUCCEEDED only for a committed boot. */
    private void settle(Action action, Installer.Outcome o) {
        Action a = action;
        String reason = o.reason() == null ? "" : o.reason();
        if (a.state() != State.TRIAL && trialReached(a) && o.step() != Step.ABANDONED) a = move(a, State.TRIAL, "");
        switch (o.step()) {
            case COMMITTED -> move(a, State.SUCCEEDED, "");
            case ROLLED_BACK -> move(a, State.ROLLED_BACK, (reason.startsWith("health") ? "health: " : "boot: ") + reason);
            case ABANDONED -> move(a, State.FAILED, "install: " + reason);
            default -> {
                // TRIAL: the device reboots into the new slot; the next start's power-on settles it.
            }
        }
    }

    private boolean trialReached(Action a) {
        return installJournal.current().stream().anyMatch(e -> e.step() == Step.TRIAL && a.path().equals(e.get("target")));
    }

    private boolean installStarted(Action a) {
        return installJournal.current().stream().anyMatch(e -> e.step() == Step.STARTED && a.path().equals(e.get("target")));
    }

    private void refuse(Targets targets, long announced, List<String> violations) {
        String actionId = targets.targets().values().stream().map(this::actionIdOf).flatMap(Optional::stream).findFirst()
                .orElse(unverifiedActionId(announced));
        report(actionId, State.REFUSED, String.join("; ", violations));
    }

    private Optional<String> actionIdOf(TargetFile t) {
        try {
            return t.custom().map(c -> DirectorTarget.fromCustom(c).actionId());
        } catch (MalformedDocumentException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Refused metadata names no action the device can trust; the report is filed under the director version instead. */
    private static String unverifiedActionId(long announced) {
        return "director-" + announced;
    }

    private Action move(Action a, State next, String detail) {
        // Reported first: a power loss in between repeats the step and its report, it never loses the report.
        report(a.actionId(), next, detail);
        Action moved = a.in(next);
        journal.action(moved);
        return moved;
    }

    private void report(String actionId, State s, String detail) {
        String d = detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        journal.addReport(new Report(actionId, journal.lastSeq(actionId) + 1, s, DeviceRequests.seconds(clock.instant()), d));
        log.println("ota-agent: action " + actionId + " " + s + (d.isEmpty() ? "" : " (" + d + ")"));
    }

    /**
     * Deletes from the staging folder the downloads no order in force needs: the kept bytes of cut downloads
     * ({@code .partial-<sha256>}, {@link Updater#partialName}) and whole downloaded images (named by their path,
     * {@link UrlEncoding#fileName}), except those of the image {@code inForce} orders and of an install the
     * installer's journal has not finished. A cancelled or superseded order's bytes would otherwise stay there for
     * good. The order in force is the journal's last one unless the director withdrew it, also after its download
     * failed: the retry the server sends is a new attempt for the same image, and resumes or reuses it. Only files
     * directly in the folder are looked at, never a folder (the A/B slots are kept in slots.dir, not here), nor the
     * temporary files of a write under way ({@code .incoming-}).
     */
    private void dropStrayDownloads(Optional<Action> inForce) {
        Set<String> keep = new HashSet<>();
        inForce.ifPresent(a -> {
            keep.add(UrlEncoding.fileName(a.path()));
            if (!a.hashes().isEmpty()) keep.add(Updater.partialName(new TargetFile(a.length(), a.hashes(), Optional.empty(), Map.of())));
        });
        installJournal.last().filter(e -> !e.step().isFinal()).map(e -> e.get("target"))
                .ifPresent(target -> keep.add(UrlEncoding.fileName(target)));
        if (!Files.isDirectory(stagingDir)) return;
        List<Path> stray;
        try (Stream<Path> files = Files.list(stagingDir)) {
            stray = files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(f -> isDownload(f.getFileName().toString()) && !keep.contains(f.getFileName().toString())).toList();
        } catch (IOException | UncheckedIOException e) {
            log.println("ota-agent: staging folder not read for leftover downloads: " + e.getMessage());
            return;
        }
        for (Path f : stray) {
            String what = f.getFileName().toString().startsWith(Updater.PARTIAL_PREFIX) ? "partial download " : "downloaded image ";
            try {
                Files.deleteIfExists(f);
                log.println("ota-agent: " + what + f.getFileName() + " deleted: no order in force names that image");
            } catch (IOException e) {
                log.println("ota-agent: " + what + f.getFileName() + " not deleted: " + e.getMessage());
            }
        }
    }

    /** A cut download's kept bytes or a whole image; the other names starting with a dot are writes under way. */
    private static boolean isDownload(String name) {
        return name.startsWith(Updater.PARTIAL_PREFIX) || !name.startsWith(".");
    }

    private void deleteStaged(String path) {
        try {
            Files.deleteIfExists(stagingDir.resolve(UrlEncoding.fileName(path)));
        } catch (IOException e) {
            log.println("ota-agent: staged download of " + path + " not deleted: " + e.getMessage());
        }
    }
}
