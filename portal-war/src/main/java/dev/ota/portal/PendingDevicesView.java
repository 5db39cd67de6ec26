package dev.ota.portal;

import dev.ota.account.Roles;
import dev.ota.audit.AuditLog;
import dev.ota.fleet.DeviceAdministration;
import dev.ota.fleet.DeviceFilter;
import dev.ota.fleet.DevicePage;
import dev.ota.fleet.DeviceStatus;
import dev.ota.fleet.DeviceSummary;
import dev.ota.fleet.Inventory;
import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Backs {@code app/pending-devices.xhtml}: devices waiting for an administrator (enrolled with a token that
 * does not accept at once), oldest ids first, a page at a time, with accept and reject for administrators.
 */
@Named
@ViewScoped
public class PendingDevicesView implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int PAGE = 100;
    private static final DeviceFilter PENDING = new DeviceFilter(null, DeviceStatus.PENDING, Set.of(), Map.of(), null,
            null, null, null, null, null);

    @EJB
    private transient Inventory inventory;

    @EJB
    private transient DeviceAdministration administration;

    @EJB
    private transient AuditLog audit;

    @Inject
    private transient SecurityContext security;

    private List<DeviceSummary> devices = List.of();
    private boolean mayChange;
    private String after;
    private String next;

    public void load() {
        mayChange = security.isCallerInRole(Roles.ADMINISTRATOR);
        show(after);
    }

    private void show(String from) {
        DevicePage page = inventory.page(PENDING, from, PAGE, false);
        devices = page.devices();
        next = page.next();
        after = from;
    }

    public void accept(String deviceId) {
        decide(deviceId, true);
    }

    public void reject(String deviceId) {
        decide(deviceId, false);
    }

    private void decide(String deviceId, boolean accept) {
        String caller = security.getCallerPrincipal().getName();
        if (FleetActions.run(() -> {
            if (accept) {
                administration.accept(deviceId);
            } else {
                administration.reject(deviceId);
            }
        }, audit, caller, (accept ? "accept " : "reject ") + deviceId)) {
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO,
                    "Device " + deviceId + (accept ? " accepted." : " rejected."), null));
        }
        show(after);
    }

    public void nextPage() {
        if (next != null) {
            show(next);
        }
    }

    public void firstPage() {
        show(null);
    }

    public List<DeviceSummary> getDevices() {
        return devices;
    }

    public boolean isMayChange() {
        return mayChange;
    }

    public boolean isHasNext() {
        return next != null;
    }
}
