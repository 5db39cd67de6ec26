package dev.ota.fleet;

import dev.ota.error.ErrorKind;
import dev.ota.protocol.Checkin;
import dev.ota.protocol.CheckinResponse;
import dev.ota.protocol.Report;
import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Signed check-ins (device-api.md, "Check-in"). One transaction per check-in: verify, decide
 * ({@link CheckinRules}), move the counter with a compare-and-set, store the reports not yet stored, hand out
 * a bearer token. A refused check-in writes nothing.
 */
@Stateless
@PermitAll
public class Checkins {
    private static final double POLL_JITTER = 0.1;

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @Inject
    private Clock clock;

    @Inject
    private DeviceTokenSecret tokenSecret;

    /** The 200 body for a check-in {@code body} posted to {@code /devices/v1/{pathDeviceId}/checkins}. */
    public byte[] checkin(String pathDeviceId, byte[] body) {
        SignedRequest<Checkin> request = SignedRequest.read(body, "checkin", Checkin::fromJson);
        Checkin checkin = request.document();
        SignedRequest.requireSameDevice(pathDeviceId, checkin.deviceId(), "checkin");
        // The row stays locked to the commit: a concurrent check-in of the device waits, then sees this one's
        // counter (409) or bytes (the same answer); the counter update below is a compare-and-set besides.
        List<Device> found = em.createNamedQuery(Device.LOCKED, Device.class).setParameter("id", pathDeviceId).getResultList();
        if (found.isEmpty()) throw FleetFailure.unknownDevice(pathDeviceId);
        Device device = found.get(0);
        if (!request.signedBy(SignedRequest.storedKey(device))) throw FleetFailure.badSignature("check-in");

        String sha256 = DeviceTokens.sha256Hex(body);
        switch (CheckinRules.decide(device.status(), device.lastCounter(), device.lastCheckinSha256(), checkin.counter(), sha256)) {
            case NOT_ACCEPTED -> throw FleetFailure.notAccepted(pathDeviceId, device.status());
            case REPLAYED -> throw replayed(device.lastCounter());
            case RESEND -> {
                CheckinResponse stored = CheckinResponse.fromJson(
                        Json.parse(device.lastCheckinResponse().getBytes(StandardCharsets.UTF_8), "stored response"));
                // The same device, expiry and generation: the same token as the first answer carried.
                String token = DeviceTokens.mint(tokenSecret.mintingKey(), pathDeviceId, device.tokenGeneration(), device.lastTokenExpires());
                return bytes(withToken(stored, token, device.lastTokenExpires()));
            }
            case ACCEPT -> {
                return accept(device, checkin, request, sha256);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private byte[] accept(Device device, Checkin checkin, SignedRequest<Checkin> request, String sha256) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant tokenExpires = now.plus(FleetSettings.deviceTokenLifetime());
        Object[] versions = keptConfigAndDirectorVersions(device.deviceId());
        Long keptConfig = versions[0] == null ? null : ((Number) versions[0]).longValue();
        long directorTimestampVersion = versions[1] == null ? 0 : ((Number) versions[1]).longValue();
        Long reportedConfig = checkin.config().map(Checkin.ConfigReport::version).orElse(null);
        CheckinResponse answer = new CheckinResponse(
                CheckinRules.pollAfterSeconds(FleetSettings.pollSeconds(), POLL_JITTER, ThreadLocalRandom.current().nextDouble()),
                OptionalLong.of(directorTimestampVersion), ReportRules.acks(checkin.reports()),
                Optional.of(new CheckinResponse.ConfigRequest(keptConfig == null ? 0 : keptConfig,
                        CheckinRules.wantsConfigUpload(keptConfig, reportedConfig))),
                Optional.empty(), Optional.empty());
        String ecus = CanonicalJson.encodeToString(request.envelope().signed().get("ecus"));
        String state = checkin.state().name().toLowerCase(java.util.Locale.ROOT);
        Instant stateSince = state.equals(device.state()) && device.stateSince() != null ? device.stateSince() : now;
        // The compare-and-set: of two check-ins with the same counter, the second finds the counter moved.
        int moved = em.createNamedQuery(Device.CHECKIN_ACCEPTED)
                .setParameter("counter", checkin.counter()).setParameter("now", now).setParameter("since", stateSince).setParameter("state", state)
                .setParameter("reason", checkin.stateReason().orElse(null)).setParameter("ecus", ecus)
                .setParameter("sha256", sha256)
                .setParameter("response", new String(bytes(answer), StandardCharsets.UTF_8))
                .setParameter("expires", tokenExpires)
                .setParameter("director", checkin.directorTimestampVersion().isPresent()
                        ? checkin.directorTimestampVersion().getAsLong() : null)
                .setParameter("config", reportedConfig)
                .setParameter("id", device.deviceId()).setParameter("accepted", DeviceStatus.ACCEPTED)
                .executeUpdate();
        if (moved != 1) throw replayed(null);
        storeReports(device.deviceId(), checkin, now);
        // Nothing stored for the token: it is checked by its MAC (DeviceTokens), which saves two statements here.
        String token = DeviceTokens.mint(tokenSecret.mintingKey(), device.deviceId(), device.tokenGeneration(), tokenExpires);
        return bytes(withToken(answer, token, tokenExpires));
    }

    /**
     * The newest configuration version kept for the device and the version of its current director timestamp
     * (device-api.md), each null when there is none: one statement where there were two, on the path every
     * check-in takes (bench/checkins-vs-pgbench.sh). The director's table is read as plain
     * numbers: the director sits above the fleet and the fleet uses none of its classes.
     */
    private Object[] keptConfigAndDirectorVersions(String deviceId) {
        return (Object[]) em.createNativeQuery("SELECT (SELECT MAX(version) FROM device_config WHERE device_id = ?1),"
                        + " (SELECT timestamp_version FROM director_state WHERE device_id = ?2)")
                .setParameter(1, deviceId).setParameter(2, deviceId).getSingleResult();
    }

    private void storeReports(String deviceId, Checkin checkin, Instant now) {
        if (checkin.reports().isEmpty()) return;
        Set<String> actions = new HashSet<>();
        checkin.reports().forEach(r -> actions.add(r.actionId()));
        Set<ReportRules.ReportKey> stored = new HashSet<>();
        for (Object[] row : em.createNamedQuery(DeviceReport.KEYS_OF_DEVICE, Object[].class)
                .setParameter("deviceId", deviceId).setParameter("actionIds", List.copyOf(actions)).getResultList()) {
            stored.add(new ReportRules.ReportKey((String) row[0], ((Number) row[1]).longValue()));
        }
        for (Report r : ReportRules.toStore(checkin.reports(), stored)) {
            em.persist(new DeviceReport(deviceId, r.actionId(), r.seq(), r.state().name(), r.at(), r.detail(), now,
                    checkin.counter()));
        }
    }

    /**
     * Whether {@code bearer} is a live token of {@code deviceId}, handed out by one of its check-ins; 401 when not.
     * For the device's GETs (configuration); one read of the device's status and token generation.
     */
    public void authorize(String deviceId, String bearer) {
        DeviceBearer.requirePresent(bearer);
        List<Object[]> found = em.createNamedQuery(Device.TOKEN_CHECK, Object[].class).setParameter("id", deviceId)
                .getResultList();
        DeviceStatus status = found.isEmpty() ? null : (DeviceStatus) found.get(0)[0];
        long generation = found.isEmpty() ? 0 : ((Number) found.get(0)[1]).longValue();
        DeviceBearer.require(deviceId, bearer, status, generation, clock.instant(), tokenSecret.checkingKeys());
    }

    static FleetFailure replayed(Long last) {
        return new FleetFailure("checkin.replayed", ErrorKind.CONFLICT, "the check-in's counter is not above the last"
                + " accepted one" + (last == null ? "" : " (" + last + ")") + "; every check-in needs a higher counter");
    }

    private static CheckinResponse withToken(CheckinResponse r, String token, Instant expires) {
        return new CheckinResponse(r.pollAfterSeconds(), r.directorTimestampVersion(), r.ackedReports(), r.config(),
                Optional.of(token), Optional.ofNullable(expires));
    }

    /** Canonical, so the stored answer of a resend rebuilds to exactly the bytes first sent. */
    private static byte[] bytes(CheckinResponse r) {
        return CanonicalJson.toParsableJson(CanonicalJson.encode(r.toJson()));
    }
}
