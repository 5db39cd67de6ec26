package dev.ota.fleet;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import java.time.Instant;

/** A bearer token a check-in handed out ({@code device_token}); only the SHA-256 of its text is kept. */
@Entity
@Table(name = "device_token")
@NamedQuery(name = DeviceToken.DELETE_EXPIRED_OF_DEVICE,
        query = "DELETE FROM DeviceToken t WHERE t.deviceId = :deviceId AND t.expiresAt <= :now")
@NamedQuery(name = DeviceToken.DELETE_OF_DEVICE, query = "DELETE FROM DeviceToken t WHERE t.deviceId = :deviceId")
public class DeviceToken {
    static final String DELETE_EXPIRED_OF_DEVICE = "DeviceToken.deleteExpiredOfDevice";
    static final String DELETE_OF_DEVICE = "DeviceToken.deleteOfDevice";

    @Id
    @Column(name = "token_hash", length = 64, updatable = false)
    private String tokenHash;

    @Column(name = "device_id", nullable = false, updatable = false, length = 64)
    private String deviceId;

    @Column(name = "issued_at", nullable = false, updatable = false)
    private Instant issuedAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    protected DeviceToken() {
    }

    DeviceToken(String tokenHash, String deviceId, Instant issuedAt, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.deviceId = deviceId;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    public String deviceId() {
        return deviceId;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
