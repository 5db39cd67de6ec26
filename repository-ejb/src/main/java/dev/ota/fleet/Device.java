package dev.ota.fleet;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.LockModeType;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A device as the server knows it ({@code device}): its identity and key, its status, and what its last
 * accepted check-in said. The check-in columns change only through {@link Checkins}' compare-and-set on
 * {@code last_counter}; tags and attributes live in {@code device_tag} and {@code device_attribute} so
 * inventory filters are index lookups.
 */
@Entity
@Table(name = "device")
// Named, so the persistence provider prepares each once rather than for every check-in (a profile of
// bench/checkins-vs-pgbench.sh found em.find with a lock mode building its SQL anew each time).
@NamedQuery(name = Device.LOCKED, query = "SELECT d FROM Device d WHERE d.deviceId = :id",
        lockMode = LockModeType.PESSIMISTIC_WRITE)
@NamedQuery(name = Device.CHECKIN_ACCEPTED, query = "UPDATE Device d SET d.lastCounter = :counter, d.lastCheckinAt = :now,"
        + " d.stateSince = :since, d.state = :state,"
        + " d.stateReason = :reason, d.ecus = :ecus, d.lastCheckinSha256 = :sha256,"
        + " d.lastCheckinResponse = :response, d.lastTokenExpires = :expires,"
        + " d.directorTimestampVersion = :director, d.reportedConfigVersion = :config"
        + " WHERE d.deviceId = :id AND d.status = :accepted"
        + " AND (d.lastCounter IS NULL OR d.lastCounter < :counter)")
@NamedQuery(name = Device.TOKEN_CHECK, query = "SELECT d.status, d.tokenGeneration FROM Device d WHERE d.deviceId = :id")
public class Device {
    /** What a bearer token is checked against ({@link DeviceBearer}): status and token generation of {@code :id}. */
    static final String TOKEN_CHECK = "Device.tokenCheck";
    /** The device {@code :id}, its row locked to the commit. */
    static final String LOCKED = "Device.locked";
    /** Check-in {@link Checkins}' compare-and-set: moves the counter only if it is below {@code :counter}. */
    static final String CHECKIN_ACCEPTED = "Device.checkinAccepted";

    @Id
    @Column(name = "device_id", length = 64, updatable = false)
    private String deviceId;

    @Column(name = "hardware_id", nullable = false, length = 100)
    private String hardwareId;

    /** The device's TUF key object as canonical JSON. */
    @Column(name = "public_key", nullable = false, length = 4000)
    private String publicKey;

    @Column(name = "key_id", nullable = false, length = 64)
    private String keyId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    private DeviceStatus status;

    @Column(name = "agent_version", nullable = false, length = 100)
    private String agentVersion;

    @Column(name = "enrollment_token_id")
    private Long enrollmentTokenId;

    @Column(name = "enrolled_at", nullable = false, updatable = false)
    private Instant enrolledAt;

    @Column(name = "status_changed_at", nullable = false)
    private Instant statusChangedAt;

    @Column(name = "last_checkin_at")
    private Instant lastCheckinAt;

    /** idle, busy or critical as the device reported it; null before its first check-in. */
    @Column(length = 10)
    private String state;

    @Column(name = "state_since")
    private Instant stateSince;

    @Column(name = "state_reason", length = 65536)
    private String stateReason;

    /** What each ECU runs, as the last check-in's {@code ecus} object (canonical JSON). */
    @Column(length = 65536)
    private String ecus;

    @Column(name = "last_counter")
    private Long lastCounter;

    @Column(name = "last_checkin_sha256", length = 64)
    private String lastCheckinSha256;

    /** The last check-in's 200 body without its token (the token is derived again for a resend). */
    @Column(name = "last_checkin_response", length = 65536)
    private String lastCheckinResponse;

    @Column(name = "last_token_expires")
    private Instant lastTokenExpires;

    /** Moves when the device's bearer tokens must end at once (decommission, key replaced): {@link DeviceTokens}. */
    @Column(name = "token_generation", nullable = false)
    private long tokenGeneration;

    @Column(name = "director_timestamp_version")
    private Long directorTimestampVersion;

    @Column(name = "reported_config_version")
    private Long reportedConfigVersion;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "device_tag", joinColumns = @JoinColumn(name = "device_id"))
    @Column(name = "tag", length = 100)
    private Set<String> tags = new HashSet<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "device_attribute", joinColumns = @JoinColumn(name = "device_id"))
    @MapKeyColumn(name = "name", length = 100)
    @Column(name = "attr_value", length = 500)
    private Map<String, String> attributes = new HashMap<>();

    protected Device() {
    }

    Device(String deviceId, String hardwareId, String publicKey, String keyId, DeviceStatus status, String agentVersion,
           Long enrollmentTokenId, Instant enrolledAt) {
        this.deviceId = deviceId;
        this.hardwareId = hardwareId;
        this.publicKey = publicKey;
        this.keyId = keyId;
        this.status = status;
        this.agentVersion = agentVersion;
        this.enrollmentTokenId = enrollmentTokenId;
        this.enrolledAt = enrolledAt;
        this.statusChangedAt = enrolledAt;
    }

    public String deviceId() {
        return deviceId;
    }

    public String hardwareId() {
        return hardwareId;
    }

    public String publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    public DeviceStatus status() {
        return status;
    }

    public String agentVersion() {
        return agentVersion;
    }

    public Long enrollmentTokenId() {
        return enrollmentTokenId;
    }

    public Instant enrolledAt() {
        return enrolledAt;
    }

    public Instant statusChangedAt() {
        return statusChangedAt;
    }

    public Instant lastCheckinAt() {
        return lastCheckinAt;
    }

    public String state() {
        return state;
    }

    public Instant stateSince() {
        return stateSince;
    }

    public String stateReason() {
        return stateReason;
    }

    public String ecus() {
        return ecus;
    }

    public Long lastCounter() {
        return lastCounter;
    }

    public String lastCheckinSha256() {
        return lastCheckinSha256;
    }

    public String lastCheckinResponse() {
        return lastCheckinResponse;
    }

    public long tokenGeneration() {
        return tokenGeneration;
    }

    public Instant lastTokenExpires() {
        return lastTokenExpires;
    }

    public Long directorTimestampVersion() {
        return directorTimestampVersion;
    }

    public Long reportedConfigVersion() {
        return reportedConfigVersion;
    }

    public Set<String> tags() {
        return Collections.unmodifiableSet(tags);
    }

    public Map<String, String> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    void changeStatus(DeviceStatus to, Instant at) {
        status = to;
        statusChangedAt = at;
    }

    void replaceKey(String publicKeyJson, String newKeyId) {
        publicKey = publicKeyJson;
        keyId = newKeyId;
    }

    void agentVersion(String version) {
        agentVersion = version;
    }

    void tag(String tag) {
        tags.add(tag);
    }

    void untag(String tag) {
        tags.remove(tag);
    }

    void attribute(String name, String value) {
        attributes.put(name, value);
    }

    void removeAttribute(String name) {
        attributes.remove(name);
    }
}
