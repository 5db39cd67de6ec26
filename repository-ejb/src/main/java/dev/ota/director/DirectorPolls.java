package dev.ota.director;

import dev.ota.fleet.DeviceBearer;
import dev.ota.fleet.DeviceStatus;
import dev.ota.fleet.DeviceTokenSecret;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The poll every device makes all day: {@code GET /director/{deviceId}/metadata/timestamp.json} (device-api.md,
 * 304 while unchanged), answered with one JDBC statement and {@link TimestampCache}, without a JTA transaction,
 * the EJB container or JPA around them: those cost several times the statement itself (bench/README.md,
 * director-vs-nginx). The statement is {@link DirectorState#POLL}'s, in SQL.
 *
 * <p>Nothing the poll decides is taken from memory alone. Every poll reads, from the database the servers
 * share, the device's status and token generation (so a decommission or a key replacement on any server ends
 * its tokens at the next poll everywhere: "at once", as {@code DeviceAdministration} promises) and its
 * timestamp's current version and expiry (so a timestamp another server signed is served at the next poll, and
 * one due for re-signing is re-signed). What is held in memory is only the file of that version: a (device,
 * version) file is written once by a committed signing and never changed, so the entry can be old but never
 * wrong (see {@link TimestampCache}). A cache of the status or version with a time to live was not taken: it
 * would let a decommissioned device in, and serve a timestamp older than the one another server signed (a
 * device that saw the newer one from that server would take the older as a rollback attack), for as long as it
 * lives; and with devices polling every few minutes, a time to live short enough to be harmless would never
 * be hit outside a benchmark.
 *
 * <p>Everything else goes to {@link Director#deviceFile}, in a transaction of its own, as before: the first
 * fetch of a device (nothing signed yet), a timestamp past half its life, and a version not held yet (read
 * there, then held).
 */
@ApplicationScoped
public class DirectorPolls {
    static final String POLL_SQL = "SELECT d.status, d.token_generation, s.timestamp_version, s.timestamp_expires"
            + " FROM device d LEFT JOIN director_state s ON s.device_id = d.device_id WHERE d.device_id = ?";

    @Resource(lookup = "jdbc/ota")
    private DataSource dataSource;

    @EJB
    private Director director;

    @Inject
    private Clock clock;

    @Inject
    private DeviceTokenSecret tokenSecret;

    @Inject
    private TimestampCache timestamps;

    /** What {@link #POLL_SQL} read: no device is null; no signed timestamp yet has a null {@code expires}. */
    record PollRow(DeviceStatus status, long generation, int version, Instant expires) {
    }

    /**
     * {@code deviceId}'s current director timestamp for its GET with {@code bearer}, as {@link Director#deviceFile}
     * gives it: 401 unless the token opens the device's GETs ({@link DeviceBearer}), re-signed when due.
     */
    public Optional<DirectorDocument> timestamp(String deviceId, String bearer) {
        DeviceBearer.requirePresent(bearer);
        PollRow row = read(deviceId);
        Instant now = clock.instant();
        DeviceBearer.require(deviceId, bearer, row == null ? null : row.status(), row == null ? 0 : row.generation(),
                now, tokenSecret.checkingKeys());
        // Director.now(): signing times and expiries are whole seconds.
        if (row.expires() != null && !DirectorMetadata.dueForResigning(row.expires(), now.truncatedTo(ChronoUnit.SECONDS))) {
            DirectorDocument held = timestamps.get(deviceId, row.version());
            if (held != null) return Optional.of(held);
        }
        return director.deviceFile(deviceId, "timestamp.json", bearer);
    }

    private PollRow read(String deviceId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(POLL_SQL)) {
            s.setString(1, deviceId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return null;
                DeviceStatus status = DeviceStatus.valueOf(r.getString(1));
                long generation = r.getLong(2);
                int version = r.getInt(3);
                OffsetDateTime expires = r.getObject(4, OffsetDateTime.class);
                return new PollRow(status, generation, version, expires == null ? null : expires.toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the director poll could not read device '" + deviceId + "'", e);
        }
    }
}
