package dev.ota.fleet;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** One install journal entry a device reported ({@code device_report}); each (device, action, seq) once. */
@Entity
@Table(name = "device_report")
@NamedQuery(name = DeviceReport.KEYS_OF_DEVICE,
        query = "SELECT r.actionId, r.seq FROM DeviceReport r WHERE r.deviceId = :deviceId AND r.actionId IN :actionIds")
@NamedQuery(name = DeviceReport.OF_DEVICE,
        query = "SELECT r FROM DeviceReport r WHERE r.deviceId = :deviceId ORDER BY r.id DESC")
public class DeviceReport {
    static final String KEYS_OF_DEVICE = "DeviceReport.keysOfDevice";
    static final String OF_DEVICE = "DeviceReport.ofDevice";

    @Id
    @SequenceGenerator(name = "device_report_seq", sequenceName = "device_report_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "device_report_seq")
    @Column(updatable = false)
    private Long id;

    @Column(name = "device_id", nullable = false, updatable = false, length = 64)
    private String deviceId;

    @Column(name = "action_id", nullable = false, updatable = false, length = 64)
    private String actionId;

    @Column(nullable = false, updatable = false)
    private long seq;

    @Column(nullable = false, updatable = false, length = 20)
    private String state;

    @Column(name = "reported_at", nullable = false, updatable = false)
    private Instant reportedAt;

    @Column(nullable = false, updatable = false, length = 65536)
    private String detail;

    @Column(name = "received_at", nullable = false, updatable = false)
    private Instant receivedAt;

    @Column(name = "checkin_counter", nullable = false, updatable = false)
    private long checkinCounter;

    protected DeviceReport() {
    }

    DeviceReport(String deviceId, String actionId, long seq, String state, Instant reportedAt, String detail,
                 Instant receivedAt, long checkinCounter) {
        this.deviceId = deviceId;
        this.actionId = actionId;
        this.seq = seq;
        this.state = state;
        this.reportedAt = reportedAt;
        this.detail = detail;
        this.receivedAt = receivedAt;
        this.checkinCounter = checkinCounter;
    }

    public String deviceId() {
        return deviceId;
    }

    public String actionId() {
        return actionId;
    }

    public long seq() {
        return seq;
    }

    public String state() {
        return state;
    }

    public Instant reportedAt() {
        return reportedAt;
    }

    public String detail() {
        return detail;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    public long checkinCounter() {
        return checkinCounter;
    }
}
