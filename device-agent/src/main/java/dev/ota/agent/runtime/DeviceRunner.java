package dev.ota.agent.runtime;

import dev.ota.agent.device.AgentConfig;
import dev.ota.agent.device.DeviceProperties;
import dev.ota.agent.device.RunConfig;
import dev.ota.agent.device.StateCommand;
import dev.ota.agent.director.DesiredConfiguration;
import dev.ota.agent.director.DirectorFollower;
import dev.ota.agent.director.DirectorRepository;
import dev.ota.agent.fleet.Answer;
import dev.ota.agent.fleet.DeviceIdentity;
import dev.ota.agent.fleet.DeviceJournal;
import dev.ota.agent.fleet.DeviceJournal.ConfigState;
import dev.ota.agent.fleet.DeviceSession;
import dev.ota.agent.fleet.DeviceTransport;
import dev.ota.agent.fleet.HttpClientTransport;
import dev.ota.agent.fleet.Pacing;
import dev.ota.agent.fleet.Sleeper;
import dev.ota.agent.install.CrashPoints;
import dev.ota.agent.install.Installer;
import dev.ota.agent.install.Journal;
import dev.ota.protocol.Checkin.ConfigReport;
import dev.ota.protocol.Checkin.Ecu;
import dev.ota.protocol.CheckinResponse;
import dev.ota.protocol.ConfigBackup;
import dev.ota.protocol.EnrollmentResponse;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@code ota-agent run}: the device as a long-running process. Each {@link #cycle()} enrolls if the device is not
 * accepted yet, checks in (state from the state command, the committed image, the configuration it holds,
 * unacknowledged reports), then keeps its configuration backed up: uploads the properties file when it changed
 * or the server asks, restores it from the server when it is lost or corrupt (only a copy signed by this
 * device's own key), follows its director when configured ({@link DirectorFollower}; a desired configuration it
 * applies is backed up in the same cycle), and answers how long to wait
 * before the next cycle. Time comes from the clock and waits go
 * through the sleeper, so the whole loop runs in virtual time in tests.
 */
public final class DeviceRunner {
    public static final String AGENT_VERSION = "0.1.0";
    static final long DEFAULT_POLL_SECONDS = 300;
    private static final int CONFIG_ATTEMPTS = 3;

    private final DeviceSession session;
    private final String enrollmentToken;
    private final StateCommand state;
    private final DeviceProperties properties;
    private final Supplier<Map<String, Ecu>> ecus;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Pacing pacing;
    private final PrintStream log;
    private final Optional<DirectorFollower> director;
    private boolean poweredOn;
    private int failures;
    private long pollSeconds = DEFAULT_POLL_SECONDS;

    public DeviceRunner(DeviceSession session, String enrollmentToken, StateCommand state, DeviceProperties properties,
                        Supplier<Map<String, Ecu>> ecus, Sleeper sleeper, RandomGenerator random, Pacing pacing, PrintStream log) {
        this(session, enrollmentToken, state, properties, ecus, Optional.empty(), sleeper, random, pacing, log);
    }

    /** @param director set: the device follows its director's orders after each check-in */
    public DeviceRunner(DeviceSession session, String enrollmentToken, StateCommand state, DeviceProperties properties,
                        Supplier<Map<String, Ecu>> ecus, Optional<DirectorFollower> director, Sleeper sleeper, RandomGenerator random,
                        Pacing pacing, PrintStream log) {
        this.director = director;
        this.session = session;
        this.enrollmentToken = enrollmentToken;
        this.state = state;
        this.properties = properties;
        this.ecus = ecus;
        this.sleeper = sleeper;
        this.random = random;
        this.pacing = pacing;
        this.log = log;
    }

    /** The runner a configuration file describes, over {@code transport} (HTTP to {@code server.url} by default). */
    public static DeviceRunner of(RunConfig c, DeviceTransport transport, Clock clock, Sleeper sleeper, RandomGenerator random,
                                  PrintStream log) {
        DeviceIdentity id = DeviceIdentity.loadOrCreate(c.dataDir(), c.deviceId(), c.hardwareId());
        DeviceSession session = new DeviceSession(id, DeviceJournal.open(c.dataDir()), transport, clock, AGENT_VERSION);
        InstalledImages installed = new InstalledImages(c.deviceId(), c.hardwareId(), c.installStateDir(), c.slotsDir());
        StateCommand state = new StateCommand(c.stateCommand(), c.stateTimeout(), c.dataDir().resolve("tmp"));
        DeviceProperties properties = DeviceProperties.at(c.propertiesFile());
        Optional<DirectorFollower> director = c.updates().map(u -> follower(c, u, session.journal(), installed, state, properties,
                clock, log));
        return new DeviceRunner(session, c.enrollmentToken(), state, properties, installed::ecus, director,
                sleeper, random, Pacing.DEFAULT, log);
    }

    private static DirectorFollower follower(RunConfig c, RunConfig.Updates u, DeviceJournal journal, InstalledImages installed,
                                             StateCommand state, DeviceProperties properties, Clock clock, PrintStream log) {
        AgentConfig install = u.install();
        Installer installer = AgentMain.installer(install, clock);
        return new DirectorFollower(c.deviceId(), c.hardwareId(), journal,
                new DirectorRepository(u.directorUrl(), c.deviceId(), c.dataDir(), u.directorRoot(), clock, c.requestTimeout()),
                AgentMain.imageUpdaters(install, clock), install.targetsUrl(), install.stateDir(), installer,
                new Journal(install.stateDir(), CrashPoints.fromEnvironment()), installed::runningReleaseCounter, state::read, clock, log,
                new DesiredConfiguration(c.deviceId(), properties, journal));
    }

    public static DeviceRunner of(RunConfig c, Clock clock, Sleeper sleeper, PrintStream log) {
        return of(c, HttpClientTransport.create(c.serverUrl(), c.requestTimeout()), clock, sleeper, new java.security.SecureRandom(), log);
    }

    public DeviceSession session() {
        return session;
    }

    /** Runs {@code cycles} cycles with the waits between them ({@code cycles <= 0}: until interrupted). */
    public void run(long cycles) throws InterruptedException {
        for (long i = 0; cycles <= 0 || i < cycles; i++) {
            Duration wait = cycle();
            if (cycles > 0 && i == cycles - 1) return;
            sleeper.sleep(wait);
        }
    }

    /** One cycle; returns how long to wait before the next. */
    public Duration cycle() {
        DeviceJournal journal = session.journal();
        if (!poweredOn) {
            // Before the first check-in, so it already reports the image the device ended on.
            director.ifPresent(DirectorFollower::powerOn);
            poweredOn = true;
        }
        if (journal.enrollment().filter(s -> s == EnrollmentResponse.Status.ACCEPTED).isEmpty()) {
            Optional<Duration> wait = enroll();
            if (wait.isPresent()) return wait.get();
        }
        DeviceProperties.Local local = properties.inspect();
        if (local instanceof DeviceProperties.Lost && journal.config().isEmpty()) {
            // First start: nothing backed up yet, so the device's own identity is its first configuration.
            properties.write(Map.of("device.id", session.identity().deviceId()));
            local = properties.inspect();
        }
        Optional<ConfigReport> held = local instanceof DeviceProperties.Present p
                ? Optional.of(new ConfigReport(journal.config().map(ConfigState::version).orElse(0L), DeviceProperties.sha256(p.values())))
                : Optional.empty();
        StateCommand.Reading reading = state.read();
        long counterBefore = journal.lastCounter();
        Answer<CheckinResponse> answer = session.checkin(reading.state(), reading.reason(), ecus.get(),
                director.isPresent() ? OptionalLong.of(journal.directorVersion()) : OptionalLong.empty(), held).join();
        long counter = journal.lastCounter();
        if (answer instanceof Answer.Ok<CheckinResponse> ok) {
            failures = 0;
            pollSeconds = ok.value().pollAfterSeconds();
            log.println("ota-agent: check-in " + counter + " accepted; " + reading.state() + "; next in about " + pollSeconds + " s");
            keepConfig(local, ok.value());
            if (director.isPresent()) {
                director.get().afterCheckin(ok.value(), session.currentToken());
                // A desired configuration the director had applied is backed up now, so the server's twin shows it.
                backUpIfChanged(ok.value());
            }
            return pacing.afterCheckin(pollSeconds, random);
        }
        log.println("ota-agent: check-in " + counter + " (after " + counterBefore + ") " + describe(answer));
        if (answer instanceof Answer.Throttled<CheckinResponse> t) return pacing.afterThrottle(t.retryAfter(), random);
        if (answer instanceof Answer.Refused<CheckinResponse> r && r.status() == 403) {
            // Pending, rejected or decommissioned: an administrator decides; asking at the poll interval is enough.
            return pacing.afterCheckin(pollSeconds, random);
        }
        return pacing.afterFailure(++failures, random);
    }

    private Optional<Duration> enroll() {
        Answer<EnrollmentResponse> a = session.enroll(enrollmentToken).join();
        if (a instanceof Answer.Ok<EnrollmentResponse> ok) {
            failures = 0;
            pollSeconds = ok.value().pollAfterSeconds();
            log.println("ota-agent: enrollment " + ok.value().status() + " (" + ok.status() + ")");
            if (ok.value().status() == EnrollmentResponse.Status.ACCEPTED) return Optional.empty();
            return Optional.of(pacing.afterCheckin(pollSeconds, random));
        }
        log.println("ota-agent: enrollment " + describe(a));
        if (a instanceof Answer.Throttled<EnrollmentResponse> t) return Optional.of(pacing.afterThrottle(t.retryAfter(), random));
        return Optional.of(pacing.afterFailure(++failures, random));
    }

    private void keepConfig(DeviceProperties.Local local, CheckinResponse response) {
        if (!(local instanceof DeviceProperties.Present present)) {
            restore(local);
            return;
        }
        boolean asked = response.config().map(CheckinResponse.ConfigRequest::upload).orElse(false);
        if (!changed(present) && !asked) return;
        upload(present, response);
    }

    private void backUpIfChanged(CheckinResponse response) {
        if (properties.inspect() instanceof DeviceProperties.Present present && changed(present)) upload(present, response);
    }

    private boolean changed(DeviceProperties.Present present) {
        String sha = DeviceProperties.sha256(present.values());
        return session.journal().config().map(c -> !c.sha256().equals(sha)).orElse(true);
    }

    /** Backs {@code present} up as the version above both the last one this device and the server know. */
    private void upload(DeviceProperties.Present present, CheckinResponse response) {
        DeviceJournal journal = session.journal();
        String sha = DeviceProperties.sha256(present.values());
        long serverVersion = response.config().map(CheckinResponse.ConfigRequest::version).orElse(0L);
        long version = Math.max(journal.config().map(ConfigState::version).orElse(0L), serverVersion) + 1;
        for (int attempt = 1; attempt <= CONFIG_ATTEMPTS; attempt++) {
            ConfigBackup doc = new ConfigBackup(session.identity().deviceId(), version, DeviceProperties.toJson(present.values()));
            Answer<Void> a = session.uploadConfig(doc).join();
            if (a instanceof Answer.Ok<Void>) {
                journal.configSynced(new ConfigState(version, sha));
                log.println("ota-agent: configuration version " + version + " backed up");
                return;
            }
            if (!(a instanceof Answer.Refused<Void> r && r.status() == 409)) {
                log.println("ota-agent: configuration backup " + describe(a) + "; tried again next cycle");
                return;
            }
            // 409: the server holds this version or a later one. Ask it which, and go above that.
            version = Math.max(version, serverVersion()) + 1;
        }
        log.println("ota-agent: configuration backup kept conflicting; tried again next cycle");
    }

    private long serverVersion() {
        Answer<ConfigBackup> held = session.downloadConfig().join();
        return held instanceof Answer.Ok<ConfigBackup> ok ? ok.value().version() : 0L;
    }

    private void restore(DeviceProperties.Local local) {
        Answer<ConfigBackup> a = session.downloadConfig().join();
        if (a instanceof Answer.Ok<ConfigBackup> ok) {
            Map<String, String> values;
            try {
                values = DeviceProperties.fromJson(ok.value().properties());
            } catch (IllegalArgumentException e) {
                log.println("ota-agent: the backed-up configuration is not usable: " + e.getMessage());
                return;
            }
            properties.write(values);
            session.journal().configSynced(new ConfigState(ok.value().version(), DeviceProperties.sha256(values)));
            log.println("ota-agent: " + why(local) + "; restored configuration version " + ok.value().version() + " from the server");
            return;
        }
        if (a instanceof Answer.Refused<ConfigBackup> r && r.status() == 404 && local instanceof DeviceProperties.Lost
                && session.journal().config().isEmpty()) {
            properties.write(Map.of("device.id", session.identity().deviceId()));
            return;
        }
        log.println("ota-agent: " + why(local) + "; not restored: " + describe(a));
    }

    private static String why(DeviceProperties.Local local) {
        if (local instanceof DeviceProperties.Lost l) return "properties lost (" + l.why() + ")";
        if (local instanceof DeviceProperties.Corrupt c) return "properties corrupt (" + c.why() + ")";
        return "properties present";
    }

    private static String describe(Answer<?> a) {
        if (a instanceof Answer.Refused<?> r) return "refused: " + r.status() + " " + r.code() + " " + r.message();
        if (a instanceof Answer.Throttled<?> t) return "throttled: retry after " + t.retryAfter().toSeconds() + " s";
        if (a instanceof Answer.Unavailable<?> u) return "failed: " + u.reason();
        if (a instanceof Answer.Untrusted<?> u) return "untrusted answer: " + u.reason();
        return "ok";
    }
}
