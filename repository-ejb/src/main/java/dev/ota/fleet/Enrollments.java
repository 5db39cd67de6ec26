package dev.ota.fleet;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord.Outcome;
import dev.ota.error.ErrorKind;
import dev.ota.error.OtaException;
import dev.ota.protocol.Enrollment;
import dev.ota.protocol.EnrollmentResponse;
import dev.ota.tuf.json.CanonicalJson;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Enrollment (device-api.md, "Enrollment") and the enrollment tokens administrators make for it. A token's
 * text is shown once and kept only as its SHA-256; each use is a compare-and-set on its use count.
 */
@Stateless
public class Enrollments {
    static final Pattern HARDWARE_ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._:-]{0,99}");
    static final int MAX_HARDWARE_IDS = 100;
    static final int MAX_USES = 1_000_000;
    static final int MAX_VALIDITY_HOURS = 24 * 366;
    private static final SecureRandom RANDOM = new SecureRandom();

    @PersistenceContext(unitName = "ota")
    private EntityManager em;

    @EJB
    private AuditLog audit;

    @Inject
    private Clock clock;

    @Resource
    private SessionContext context;

    /** Enrolls the device that signed {@code body}, or answers the same request again with its status. */
    @PermitAll
    public EnrollmentResult enroll(byte[] body) {
        SignedRequest<Enrollment> request = SignedRequest.read(body, "enrollment", Enrollment::fromJson);
        Enrollment e = request.document();
        DeviceKeys.requireSupported(e.publicKey(), "enrollment", "publicKey");
        if (!request.signedBy(e.publicKey())) throw FleetFailure.badSignature("enrollment");
        return known(e).orElseGet(() -> enrollNew(e));
    }

    /** The answer to a device already enrolled (the same request again), or empty for a new device. */
    private Optional<EnrollmentResult> known(Enrollment e) {
        Device existing = em.find(Device.class, e.deviceId());
        switch (EnrollmentRules.kind(Optional.ofNullable(existing).map(Device::keyId), e.publicKey().keyId())) {
            case OTHER_KEY -> throw new FleetFailure("enrollment.device-exists", ErrorKind.CONFLICT, "device '"
                    + e.deviceId() + "' is enrolled with another key; an administrator replaces it, or the device"
                    + " rotates its key with the old one");
            case REPEAT -> {
                if (existing.status() != DeviceStatus.ACCEPTED && existing.status() != DeviceStatus.PENDING) {
                    throw FleetFailure.notAccepted(e.deviceId(), existing.status());
                }
                return Optional.of(new EnrollmentResult(false,
                        answer(EnrollmentResponse.Status.valueOf(existing.status().name()))));
            }
            case NEW -> {
                return Optional.empty();
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private EnrollmentResult enrollNew(Enrollment e) {
        Instant now = clock.instant();
        // The token's row lock orders every enrollment with this token, the two devices racing for its last use and
        // a device's request sent again while the first copy was still being handled.
        EnrollmentToken token = em.createNamedQuery(EnrollmentToken.BY_HASH, EnrollmentToken.class)
                .setParameter("hash", DeviceTokens.hash(e.token())).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst().orElse(null);
        if (token == null) throw tokenRefused("the enrollment token is unknown");
        // A copy that waited for the lock finds the device its first copy enrolled: the same request again
        // (device-api.md: 200 with the current status), not a use of the token, not "used up".
        Optional<EnrollmentResult> raced = known(e);
        if (raced.isPresent()) return raced.get();
        EnrollmentTokenView terms = token.view();
        Optional<String> refusal = EnrollmentRules.tokenRefusal(terms, e.hardwareId(), now);
        if (refusal.isPresent()) throw tokenRefused(refusal.get());
        int used = em.createQuery("UPDATE EnrollmentToken t SET t.uses = t.uses + 1 WHERE t.id = :id"
                        + " AND t.uses < t.maxUses AND t.revokedAt IS NULL")
                .setParameter("id", terms.id()).executeUpdate();
        if (used != 1) throw tokenRefused("the enrollment token was used up");
        DeviceStatus status = EnrollmentRules.initialStatus(terms);
        em.persist(new Device(e.deviceId(), e.hardwareId(), SignedRequest.keyJson(e.publicKey()), e.publicKey().keyId(),
                status, e.agentVersion(), terms.id(), now.truncatedTo(ChronoUnit.SECONDS)));
        try {
            em.flush();
        } catch (PersistenceException sameMoment) {
            throw new FleetFailure("enrollment.device-exists", ErrorKind.CONFLICT, "device '" + e.deviceId()
                    + "' was enrolled at the same moment by another request");
        }
        audit.record("device:" + e.deviceId(), "device.enroll", e.deviceId(), Outcome.SUCCESS,
                "hardware " + e.hardwareId() + ", key " + e.publicKey().keyId() + ", token " + terms.id() + ", " + status);
        return new EnrollmentResult(true, answer(EnrollmentResponse.Status.valueOf(status.name())));
    }

    private static FleetFailure tokenRefused(String why) {
        return new FleetFailure("enrollment.token-refused", ErrorKind.FORBIDDEN, why);
    }

    private static byte[] answer(EnrollmentResponse.Status status) {
        EnrollmentResponse r = new EnrollmentResponse(status, FleetSettings.pollSeconds());
        return CanonicalJson.toParsableJson(CanonicalJson.encode(r.toJson()));
    }

    /** Makes a token; its text is in the answer only. Defaults: any hardware, 1 use, 24 hours, not auto-accepted. */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public IssuedEnrollmentToken createToken(NewEnrollmentToken request) {
        String actor = context.getCallerPrincipal().getName();
        try {
            String label = request.label() == null ? "" : request.label();
            if (label.length() > 100) throw invalid("label is at most 100 characters");
            Set<String> hardware = new LinkedHashSet<>(request.hardwareIds() == null ? List.of() : request.hardwareIds());
            if (hardware.size() > MAX_HARDWARE_IDS) throw invalid("at most " + MAX_HARDWARE_IDS + " hardwareIds");
            for (String h : hardware) {
                if (h == null || !HARDWARE_ID.matcher(h).matches()) {
                    throw invalid("a hardware id is 1 to 100 characters of letters, digits, '.', '_', ':' and '-'");
                }
            }
            int maxUses = request.maxUses() == null ? 1 : request.maxUses();
            if (maxUses < 1 || maxUses > MAX_USES) throw invalid("maxUses is from 1 to " + MAX_USES);
            int hours = request.validityHours() == null ? 24 : request.validityHours();
            if (hours < 1 || hours > MAX_VALIDITY_HOURS) throw invalid("validityHours is from 1 to " + MAX_VALIDITY_HOURS);
            boolean autoAccept = Boolean.TRUE.equals(request.autoAccept());
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            EnrollmentToken token = new EnrollmentToken(DeviceTokens.hash(text), label, actor, now,
                    now.plus(Duration.ofHours(hours)), maxUses, autoAccept, hardware);
            em.persist(token);
            em.flush();
            EnrollmentTokenView view = token.view();
            audit.record(actor, "enrollment-token.create", "enrollment-token " + view.id(), Outcome.SUCCESS,
                    "hardware " + hardware + ", maxUses " + maxUses + ", " + hours + " h, autoAccept " + autoAccept);
            return new IssuedEnrollmentToken(view, text);
        } catch (OtaException e) {
            audit.recordAttempt(actor, "enrollment-token.create", "enrollment-token", Outcome.DENIED,
                    e.code() + ": " + e.getMessage());
            throw e;
        }
    }

    @RolesAllowed({Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER, Roles.AUDITOR})
    public List<EnrollmentTokenView> tokens() {
        return em.createNamedQuery(EnrollmentToken.ALL, EnrollmentToken.class).getResultList().stream()
                .map(EnrollmentToken::view).toList();
    }

    /** From now on the token enrolls nothing; devices it enrolled stay. */
    @RolesAllowed(Roles.ADMINISTRATOR)
    public EnrollmentTokenView revokeToken(long id) {
        String actor = context.getCallerPrincipal().getName();
        EnrollmentToken token = em.find(EnrollmentToken.class, id);
        if (token == null || token.view().revokedAt() != null) {
            FleetFailure f = token == null
                    ? new FleetFailure("enrollment-token.not-found", ErrorKind.NOT_FOUND, "no enrollment token " + id)
                    : new FleetFailure("enrollment-token.revoked", ErrorKind.CONFLICT, "enrollment token " + id
                            + " is already revoked");
            audit.recordAttempt(actor, "enrollment-token.revoke", "enrollment-token " + id, Outcome.DENIED,
                    f.code() + ": " + f.getMessage());
            throw f;
        }
        token.revoke(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        audit.record(actor, "enrollment-token.revoke", "enrollment-token " + id, Outcome.SUCCESS, "");
        return token.view();
    }

    private static FleetFailure invalid(String message) {
        return new FleetFailure("enrollment-token.invalid", ErrorKind.INVALID_INPUT, message);
    }
}
