package dev.ota.portal;

import dev.ota.error.OtaException;
import dev.ota.fleet.DeviceFilter;
import dev.ota.fleet.DeviceStatus;
import dev.ota.fleet.Inventory;
import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.primefaces.component.datatable.DataTable;

/** Backs {@code app/devices.xhtml}: the device list, filtered and paged lazily over the keyset query. */
@Named
@ViewScoped
public class DevicesView implements Serializable {
    private static final long serialVersionUID = 1L;

    @EJB
    private transient Inventory inventory;

    private String hardwareId;
    private String status;
    private String tags;
    private String attributes;
    private String installedRelease;
    private String state;
    private String idText;
    private Long count;
    private DeviceFilter filter = DeviceFilter.ALL;
    private DeviceKeysetModel model;

    public DeviceKeysetModel getModel() {
        if (model == null) {
            model = new DeviceKeysetModel(inventory, filter);
        }
        return model;
    }

    /** Reads the form into a filter and starts the list again from its first page. */
    public void apply() {
        try {
            filter = new DeviceFilter(blank(hardwareId), blank(status) == null ? null : DeviceStatus.valueOf(status),
                    words(tags), pairs(attributes), blank(installedRelease), blank(state), null, null, null,
                    blank(idText));
        } catch (OtaException e) {
            FacesContext.getCurrentInstance().addMessage(null,
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, e.clientMessage(), e.code()));
            return;
        } catch (IllegalArgumentException e) {
            FacesContext.getCurrentInstance().addMessage(null,
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, "Choose a status from the list.", null));
            return;
        }
        model = null;
        count = null;
        DataTable table = (DataTable) FacesContext.getCurrentInstance().getViewRoot().findComponent("devicesForm:devices");
        if (table != null) {
            table.setFirst(0);
        }
    }

    /** How many devices the current filter matches: a count the list itself never needs. */
    public void countMatching() {
        count = inventory.count(filter);
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Set<String> words(String s) {
        Set<String> out = new TreeSet<>();
        if (s != null) {
            Arrays.stream(s.split(",")).map(String::strip).filter(w -> !w.isEmpty()).forEach(out::add);
        }
        return out;
    }

    /** {@code name=value} pairs separated by commas or lines. */
    static Map<String, String> pairs(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s != null) {
            for (String pair : s.split("[,\\n]")) {
                String p = pair.strip();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq < 1) {
                    throw new OtaException("filter.invalid", dev.ota.error.ErrorKind.INVALID_INPUT,
                            "attributes are name=value, separated by commas or lines");
                }
                out.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
            }
        }
        return out;
    }

    public Long getCount() {
        return count;
    }

    public String getHardwareId() {
        return hardwareId;
    }

    public void setHardwareId(String hardwareId) {
        this.hardwareId = hardwareId;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
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

    public String getInstalledRelease() {
        return installedRelease;
    }

    public void setInstalledRelease(String installedRelease) {
        this.installedRelease = installedRelease;
    }

    public String getState() {
        return state;
    }

    public void setState(String state) {
        this.state = state;
    }

    public String getIdText() {
        return idText;
    }

    public void setIdText(String idText) {
        this.idText = idText;
    }

    public DeviceStatus[] getStatuses() {
        return DeviceStatus.values();
    }
}
