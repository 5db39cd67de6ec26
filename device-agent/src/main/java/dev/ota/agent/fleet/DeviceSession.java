package dev.ota.agent.fleet;

import dev.ota.protocol.Checkin;
import dev.ota.protocol.Checkin.ConfigReport;
import dev.ota.protocol.Checkin.DeviceState;
import dev.ota.protocol.Checkin.Ecu;
import dev.ota.protocol.CheckinResponse;
import dev.ota.protocol.ConfigBackup;
import dev.ota.protocol.EnrollmentResponse;
import dev.ota.protocol.Report;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * One device talking to the server: its identity and journal, a transport and a clock. Each call builds and
 * signs one request, sends it, reads the answer and records in the journal what the answer settles (enrollment
 * status, acknowledged reports). The counter is reserved in the journal before a check-in leaves.
 * <p>
 * Not thread-safe: one call in flight per device (a simulator runs many devices, each one call at a time).
 */
public final class DeviceSession {
    /** Room under device-api.md's 64 KiB body limit for a check-in's reports; the rest of a check-in is small. */
    static final int BODY_BUDGET_BYTES = 56 * 1024;
    private final DeviceIdentity identity;
    private final DeviceJournal journal;
    private final DeviceTransport transport;
    private final Clock clock;
    private final String agentVersion;
    private Optional<String> token = Optional.empty();
    private Optional<Instant> tokenExpires = Optional.empty();
    private Optional<CheckinResponse> lastCheckin = Optional.empty();

    public DeviceSession(DeviceIdentity identity, DeviceJournal journal, DeviceTransport transport, Clock clock, String agentVersion) {
        this.identity = identity;
        this.journal = journal;
        this.transport = transport;
        this.clock = clock;
        this.agentVersion = agentVersion;
    }

    public DeviceIdentity identity() {
        return identity;
    }

    public DeviceJournal journal() {
        return journal;
    }

    /** Enrolls (or asks again for the status of an enrollment) with {@code enrollmentToken}. */
    public CompletableFuture<Answer<EnrollmentResponse>> enroll(String enrollmentToken) {
        DeviceRequest request = DeviceRequests.enrollment(identity, enrollmentToken, agentVersion, clock.instant());
        return send(request, r -> DeviceResponses.enrollment(r, clock)).thenApply(a -> {
            if (a instanceof Answer.Ok<EnrollmentResponse> ok) journal.enrolled(ok.value().status());
            return a;
        });
    }

    /**
     * Sends a check-in with a newly reserved counter and every unacknowledged report. On 200 the acknowledged
     * reports are recorded and the bearer token kept; on 401 the journal forgets the enrollment (the server does
     * not know this device or its key any more).
     */
    public CompletableFuture<Answer<CheckinResponse>> checkin(DeviceState state, Optional<String> stateReason, Map<String, Ecu> ecus,
                                                              OptionalLong directorTimestampVersion, Optional<ConfigReport> config) {
        long counter = journal.nextCounter();
        Instant time = DeviceRequests.seconds(clock.instant());
        List<Report> reports = journal.unacked();
        DeviceRequest request = DeviceRequests.checkin(identity, new Checkin(identity.deviceId(), counter, time, state,
                stateReason, ecus, directorTimestampVersion, reports, config));
        // A device offline through many steps must not grow its check-in past the server's 64 KiB (413 on every
        // check-in, no report ever acknowledged): the oldest reports that fit go now, the rest once they are acked.
        while (request.body().orElseThrow().length() > BODY_BUDGET_BYTES && !reports.isEmpty()) {
            reports = reports.subList(0, reports.size() / 2);
            request = DeviceRequests.checkin(identity, new Checkin(identity.deviceId(), counter, time, state, stateReason,
                    ecus, directorTimestampVersion, reports, config));
        }
        return send(request, r -> DeviceResponses.checkin(r, clock)).thenApply(a -> {
            if (a instanceof Answer.Ok<CheckinResponse> ok) {
                CheckinResponse response = ok.value();
                journal.acknowledge(response.ackedReports());
                if (response.token().isPresent()) {
                    token = response.token();
                    tokenExpires = response.tokenExpires();
                }
                lastCheckin = Optional.of(response);
            } else if (a instanceof Answer.Refused<CheckinResponse> refused && refused.status() == 401) {
                journal.unenrolled();
            }
            return a;
        });
    }

    /** {@code PUT} of the configuration; the caller records the version once the server took it. */
    public CompletableFuture<Answer<Void>> uploadConfig(ConfigBackup config) {
        return send(DeviceRequests.configUpload(identity, config), r -> DeviceResponses.configUpload(r, clock));
    }

    /**
     * The configuration the server holds for this device, verified with this device's own key; needs the token
     * of a check-in (an {@link Answer.Unavailable} without one).
     */
    public CompletableFuture<Answer<ConfigBackup>> downloadConfig() {
        Optional<String> t = currentToken();
        if (t.isEmpty()) return CompletableFuture.completedFuture(new Answer.Unavailable<>("no check-in token yet"));
        return send(DeviceRequests.configDownload(identity, t.get()), r -> DeviceResponses.configDownload(r, clock, identity));
    }

    /** The bearer token of the last check-in while it has not expired. */
    public Optional<String> currentToken() {
        if (tokenExpires.isPresent() && !clock.instant().isBefore(tokenExpires.get())) return Optional.empty();
        return token;
    }

    /** The answer to the last successful check-in. */
    public Optional<CheckinResponse> lastCheckin() {
        return lastCheckin;
    }

    private <T> CompletableFuture<Answer<T>> send(DeviceRequest request, Function<DeviceResponse, Answer<T>> read) {
        CompletableFuture<DeviceResponse> sent;
        try {
            sent = transport.send(request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                return new Answer.Unavailable<T>(request.method() + " " + request.path() + " failed: " + cause);
            }
            return read.apply(response);
        });
    }
}
