package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.audit.AuditRecord;
import dev.ota.director.DesiredConfigView;
import dev.ota.director.Director;
import dev.ota.director.OrderHistoryEntry;
import dev.ota.error.OtaException;
import dev.ota.fleet.ConfigDiff;
import dev.ota.fleet.DeviceSummary;
import dev.ota.fleet.Inventory;
import dev.ota.fleet.KeptConfig;
import dev.ota.fleet.ReportEntry;
import dev.ota.fleet.ReportPage;
import dev.ota.release.ReleaseView;
import dev.ota.release.Releases;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Backs {@code app/device.xhtml?id=...}: one device's inventory, state, report history (newest first, a page
 * at a time), configuration versions with a difference view, its orders (the director's assignments, newest
 * first), for administrators its tags and attributes, and for release managers and administrators an assignment
 * of a release listed for its hardware, or the cancellation of its order, and its desired configuration (set as
 * {@code name=value} lines, or cleared), which the director signs as the target {@code config/{deviceId}.json}. Buttons are only rendered for the roles
 * that may use them; the services refuse the change for anyone else anyway.
 */
@Named
@ViewScoped
public class DevicePageView implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int REPORTS_PER_PAGE = 25;
    private static final int ORDERS_SHOWN = 20;
    /** The newest releases looked at for the assignment choice; older ones are assigned through the API. */
    private static final int RELEASES_LOOKED_AT = 500;

    @EJB
    private transient Inventory inventory;

    @EJB
    private transient AuditLog audit;

    @EJB
    private transient Director director;

    @EJB
    private transient Releases releases;

    @Inject
    private transient SecurityContext security;

    private String id;
    private DeviceSummary device;
    private boolean mayEdit;
    private boolean mayAssign;
    private List<OrderHistoryEntry> orders = List.of();
    private List<String> assignable = List.of();
    private String targetPath;
    private String tags;
    private String attributes;
    private List<ReportEntry> reports = List.of();
    private Long olderThan;
    private final List<Long> pageStarts = new ArrayList<>();
    private Long currentStart;
    private List<KeptConfig> configs = List.of();
    private Long from;
    private Long to;
    private ConfigDiff diff;
    private DesiredConfigView desired;
    private String desiredText;

    public void load() {
        if (FacesContext.getCurrentInstance().isPostback()) {
            return;
        }
        mayEdit = security.isCallerInRole(Roles.ADMINISTRATOR);
        mayAssign = mayEdit || security.isCallerInRole(Roles.RELEASE_MANAGER);
        try {
            device = inventory.summary(id);
        } catch (OtaException e) {
            error(e);
            device = null;
            return;
        }
        fillForms();
        showReports(null);
        showOrders();
        showDesired();
        configs = inventory.configVersions(id);
        if (configs.size() >= 2) {
            to = configs.get(0).version();
            from = configs.get(1).version();
        }
    }

    private void fillForms() {
        tags = String.join(", ", device.tags());
        StringBuilder b = new StringBuilder();
        device.attributes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(a -> b.append(a.getKey()).append('=').append(a.getValue()).append('\n'));
        attributes = b.toString();
    }

    private void showReports(Long before) {
        ReportPage page = inventory.reports(device.deviceId(), before, REPORTS_PER_PAGE);
        reports = page.reports();
        olderThan = page.next();
        currentStart = before;
    }

    public void olderReports() {
        if (device != null && olderThan != null) {
            pageStarts.add(currentStart);
            showReports(olderThan);
        }
    }

    public void newerReports() {
        if (device != null && !pageStarts.isEmpty()) {
            showReports(pageStarts.remove(pageStarts.size() - 1));
        }
    }

    public void saveTags() {
        change(() -> device = inventory.replaceTags(device.deviceId(), List.copyOf(DevicesView.words(tags))),
                "Tags saved.");
    }

    public void saveAttributes() {
        change(() -> device = inventory.replaceAttributes(device.deviceId(), DevicesView.pairs(attributes)),
                "Attributes saved.");
    }

    private void showOrders() {
        orders = director.orders(device.deviceId(), ORDERS_SHOWN);
        if (mayAssign) {
            assignable = releases.list(0, RELEASES_LOOKED_AT).stream()
                    .filter(r -> r.removedAt() == null && r.hardwareIds().contains(device.hardwareId()))
                    .map(ReleaseView::targetPath).toList();
        }
    }

    public void assign() {
        change(() -> director.assign(device.deviceId(), targetPath), "Ordered " + targetPath + "; the director signed it.");
        showOrders();
    }

    public void cancelOrder() {
        change(() -> director.cancel(device.deviceId()), "Order cancelled; the director signed an empty order.");
        showOrders();
    }

    private void showDesired() {
        desired = director.desiredConfig(device.deviceId()).orElse(null);
        StringBuilder b = new StringBuilder();
        if (desired != null) {
            desired.properties().forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        }
        desiredText = b.toString();
    }

    public void saveDesiredConfig() {
        change(() -> director.setDesiredConfigLines(device.deviceId(), desiredText),
                "Desired configuration set; the director signed it.");
        showDesired();
    }

    public void clearDesiredConfig() {
        change(() -> director.clearDesiredConfig(device.deviceId()),
                "Desired configuration cleared; the device keeps the properties it has.");
        showDesired();
    }

    public void compare() {
        if (device == null || from == null || to == null) {
            return;
        }
        try {
            diff = inventory.configDiff(device.deviceId(), from, to);
        } catch (OtaException e) {
            error(e);
        }
    }

    private void change(Runnable action, String done) {
        if (device == null) {
            return;
        }
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            action.run();
            fillForms();
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, done, null));
        } catch (OtaException e) {
            error(e);
        } catch (EJBAccessException e) {
            // Only a forged request gets here: the page shows no change buttons to other roles.
            audit.recordAttempt(security.getCallerPrincipal().getName(), "auth.forbidden",
                    "portal device page " + device.deviceId(), AuditRecord.Outcome.DENIED,
                    "roles do not allow this operation");
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR,
                    "Your roles do not allow changing devices.", null));
        }
    }

    private static void error(OtaException e) {
        FacesContext.getCurrentInstance().addMessage(null,
                new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public DeviceSummary getDevice() {
        return device;
    }

    public boolean isMayEdit() {
        return mayEdit;
    }

    public boolean isMayAssign() {
        return mayAssign;
    }

    public List<OrderHistoryEntry> getOrders() {
        return orders;
    }

    public List<String> getAssignable() {
        return assignable;
    }

    public String getTargetPath() {
        return targetPath;
    }

    public void setTargetPath(String targetPath) {
        this.targetPath = targetPath;
    }

    public String getTags() {
        return tags;
    }

    public void setTags(String tags) {
        this.tags = tags;
    }

    public String getAttributes() {
        return attributes;
    }

    public void setAttributes(String attributes) {
        this.attributes = attributes;
    }

    public List<ReportEntry> getReports() {
        return reports;
    }

    public boolean isHasOlder() {
        return olderThan != null;
    }

    public boolean isHasNewer() {
        return !pageStarts.isEmpty();
    }

    public List<KeptConfig> getConfigs() {
        return configs;
    }

    public Long getFrom() {
        return from;
    }

    public void setFrom(Long from) {
        this.from = from;
    }

    public Long getTo() {
        return to;
    }

    public void setTo(Long to) {
        this.to = to;
    }

    public ConfigDiff getDiff() {
        return diff;
    }

    public List<Map.Entry<String, String>> getAdded() {
        return diff == null ? List.of() : List.copyOf(diff.added().entrySet());
    }

    public List<Map.Entry<String, String>> getRemoved() {
        return diff == null ? List.of() : List.copyOf(diff.removed().entrySet());
    }

    public List<Map.Entry<String, ConfigDiff.Change>> getChanged() {
        return diff == null ? List.of() : List.copyOf(diff.changed().entrySet());
    }

    public DesiredConfigView getDesired() {
        return desired;
    }

    public String getDesiredText() {
        return desiredText;
    }

    public void setDesiredText(String desiredText) {
        this.desiredText = desiredText;
    }

    public List<Map.Entry<String, String>> getAttributeList() {
        return device == null ? List.of() : List.copyOf(device.attributes().entrySet());
    }

    public List<Map.Entry<String, String>> getInstalledList() {
        return device == null ? List.of() : List.copyOf(device.installed().entrySet());
    }
}
