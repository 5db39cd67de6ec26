package dev.ota.fleet;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One configuration backup ({@code device_config}): the envelope exactly as the device sent and signed it, so
 * the device can verify its own restored copy. Every version is kept.
 */
@Entity
@Table(name = "device_config")
@NamedQuery(name = DeviceConfig.NEWEST_OF_DEVICE,
        query = "SELECT c FROM DeviceConfig c WHERE c.deviceId = :deviceId ORDER BY c.version DESC")
@NamedQuery(name = DeviceConfig.LAST_VERSION,
        query = "SELECT MAX(c.version) FROM DeviceConfig c WHERE c.deviceId = :deviceId")
public class DeviceConfig {
    static final String NEWEST_OF_DEVICE = "DeviceConfig.newestOfDevice";
    static final String LAST_VERSION = "DeviceConfig.lastVersion";

    @Id
    @SequenceGenerator(name = "device_config_seq", sequenceName = "device_config_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "device_config_seq")
    @Column(updatable = false)
    private Long id;

    @Column(name = "device_id", nullable = false, updatable = false, length = 64)
    private String deviceId;

    @Column(nullable = false, updatable = false)
    private long version;

    @Lob
    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false, updatable = false)
    private byte[] envelope;

    @Column(nullable = false, updatable = false, length = 64)
    private String sha256;

    @Column(name = "received_at", nullable = false, updatable = false)
    private Instant receivedAt;

    protected DeviceConfig() {
    }

    DeviceConfig(String deviceId, long version, byte[] envelope, String sha256, Instant receivedAt) {
        this.deviceId = deviceId;
        this.version = version;
        this.envelope = envelope.clone();
        this.sha256 = sha256;
        this.receivedAt = receivedAt;
    }

    public String deviceId() {
        return deviceId;
    }

    public long version() {
        return version;
    }

    public byte[] envelope() {
        return envelope.clone();
    }

    public String sha256() {
        return sha256;
    }

    public Instant receivedAt() {
        return receivedAt;
    }
}
