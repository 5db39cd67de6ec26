package dev.ota.director;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * One setting of a device's desired configuration ({@code desired_config}), insert-only: the newest row of a device
 * is in force; a row without content is a clearing. The content is the exact bytes of the director's config target.
 */
@Entity
@Table(name = "desired_config")
@NamedQuery(name = DesiredConfig.NEWEST_OF_DEVICE,
        query = "SELECT c FROM DesiredConfig c WHERE c.deviceId = :deviceId ORDER BY c.id DESC")
class DesiredConfig {
    static final String NEWEST_OF_DEVICE = "DesiredConfig.newestOfDevice";

    @Id
    @SequenceGenerator(name = "desired_config_seq", sequenceName = "desired_config_seq", allocationSize = 1)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "desired_config_seq")
    @Column(updatable = false)
    private Long id;

    @Column(name = "device_id", nullable = false, updatable = false, length = 64)
    private String deviceId;

    @Lob
    @Column(updatable = false)
    private byte[] content;

    @Column(updatable = false, length = 64)
    private String sha256;

    @Column(name = "set_by", nullable = false, updatable = false, length = 100)
    private String setBy;

    @Column(name = "set_at", nullable = false, updatable = false)
    private Instant setAt;

    protected DesiredConfig() {
    }

    /** @param target empty: the desired configuration is cleared */
    DesiredConfig(String deviceId, Optional<ConfigTarget> target, String setBy, Instant setAt) {
        this.deviceId = deviceId;
        this.content = target.map(ConfigTarget::bytes).orElse(null);
        this.sha256 = target.map(ConfigTarget::sha256).orElse(null);
        this.setBy = setBy;
        this.setAt = setAt;
    }

    String deviceId() {
        return deviceId;
    }

    /** The target in force after this row; empty for a clearing. */
    Optional<ConfigTarget> target() {
        return content == null ? Optional.empty() : Optional.of(new ConfigTarget(deviceId, content));
    }

    String setBy() {
        return setBy;
    }

    Instant setAt() {
        return setAt;
    }
}
