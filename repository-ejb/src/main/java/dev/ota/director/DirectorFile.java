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

/** One signed director file of one device ({@code director_file}): the exact bytes served, never changed. */
@Entity
@Table(name = "director_file")
@NamedQuery(name = DirectorFile.BY_DEVICE_ROLE_VERSION, query = "SELECT f FROM DirectorFile f"
        + " WHERE f.deviceId = :deviceId AND f.roleName = :role AND f.version = :version")
class DirectorFile {
    static final String BY_DEVICE_ROLE_VERSION = "DirectorFile.byDeviceRoleVersion";

    @Id
    @SequenceGenerator(name = "director_file_seq", sequenceName = "director_file_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "director_file_seq")
    @Column(updatable = false)
    private Long id;

    @Column(name = "device_id", nullable = false, updatable = false, length = 64)
    private String deviceId;

    @Column(name = "role_name", nullable = false, updatable = false, length = 16)
    private String roleName;

    @Column(nullable = false, updatable = false)
    private int version;

    @Column(nullable = false, updatable = false)
    private Instant expires;

    @Lob
    @Column(nullable = false, updatable = false)
    private byte[] content;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected DirectorFile() {
    }

    DirectorFile(String deviceId, String roleName, int version, Instant expires, byte[] content, Instant createdAt) {
        this.deviceId = deviceId;
        this.roleName = roleName;
        this.version = version;
        this.expires = expires;
        this.content = content.clone();
        this.createdAt = createdAt;
    }

    byte[] content() {
        return content.clone();
    }

    Instant createdAt() {
        return createdAt;
    }
}
