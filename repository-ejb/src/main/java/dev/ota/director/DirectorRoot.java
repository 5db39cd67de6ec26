package dev.ota.director;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/** One version of the director root, the same for every device ({@code director_root}). */
@Entity
@Table(name = "director_root")
@NamedQuery(name = DirectorRoot.COUNT, query = "SELECT COUNT(r) FROM DirectorRoot r")
@NamedQuery(name = DirectorRoot.NEWEST, query = "SELECT r FROM DirectorRoot r ORDER BY r.version DESC")
class DirectorRoot {
    static final String COUNT = "DirectorRoot.count";
    static final String NEWEST = "DirectorRoot.newest";

    @Id
    @Column(updatable = false)
    private int version;

    @Column(nullable = false, updatable = false)
    private Instant expires;

    @Lob
    @Column(nullable = false, updatable = false)
    private byte[] content;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected DirectorRoot() {
    }

    DirectorRoot(int version, Instant expires, byte[] content, Instant createdAt) {
        this.version = version;
        this.expires = expires;
        this.content = content.clone();
        this.createdAt = createdAt;
    }

    byte[] content() {
        return content.clone();
    }

    int version() {
        return version;
    }

    Instant expires() {
        return expires;
    }

    Instant createdAt() {
        return createdAt;
    }
}
