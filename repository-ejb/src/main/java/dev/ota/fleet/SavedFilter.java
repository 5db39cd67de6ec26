package dev.ota.fleet;

import dev.ota.tuf.json.CanonicalJson;
import dev.ota.tuf.json.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** A named device filter ({@code saved_filter}); the filter is stored as its canonical JSON. */
@Entity
@Table(name = "saved_filter")
class SavedFilter {
    @Id
    @Column(length = 64, updatable = false)
    private String name;

    @Column(name = "filter_json", nullable = false, length = 8000)
    private String filterJson;

    @Column(name = "created_by", nullable = false, updatable = false, length = 100)
    private String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_by", nullable = false, length = 100)
    private String updatedBy;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected SavedFilter() {
    }

    SavedFilter(String name, DeviceFilter filter, String by, Instant at) {
        this.name = name;
        this.createdBy = by;
        this.createdAt = at;
        change(filter, by, at);
    }

    void change(DeviceFilter filter, String by, Instant at) {
        filterJson = CanonicalJson.encodeToString(filter.toJson());
        updatedBy = by;
        updatedAt = at;
    }

    DeviceFilter filter() {
        return DeviceFilter.fromJson(Json.parse(filterJson.getBytes(StandardCharsets.UTF_8), "saved filter " + name));
    }

    SavedFilterView view() {
        return new SavedFilterView(name, filter(), createdBy, createdAt, updatedBy, updatedAt);
    }
}
