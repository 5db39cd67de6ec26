package dev.ota.portal;

import dev.ota.fleet.DeviceFilter;
import dev.ota.fleet.DevicePage;
import dev.ota.fleet.DeviceSummary;
import dev.ota.fleet.Inventory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

/**
 * The device list's lazy model over the inventory's keyset query: each page is one query for the ids after
 * the previous page's last, so page 2,000 of 100,000 devices costs what page 1 does. The paginator moves one
 * page at a time (first, previous, next), and the model remembers the cursor each visited page started at.
 * The row count is what is known so far (one more row when another page follows), not a count of the fleet.
 */
class DeviceKeysetModel extends LazyDataModel<DeviceSummary> {
    private static final long serialVersionUID = 1L;

    private final transient Inventory inventory;
    private final DeviceFilter filter;
    /** Page start row to the id the page follows (none for the first). */
    private final Map<Integer, String> cursors = new HashMap<>();
    private int known;

    DeviceKeysetModel(Inventory inventory, DeviceFilter filter) {
        this.inventory = inventory;
        this.filter = filter;
        cursors.put(0, null);
    }

    @Override
    public int count(Map<String, FilterMeta> filterBy) {
        return known;
    }

    @Override
    public List<DeviceSummary> load(int first, int pageSize, Map<String, SortMeta> sortBy,
                                    Map<String, FilterMeta> filterBy) {
        // A start never reached page by page (the table asked for another offset) begins again at the first page.
        int start = cursors.containsKey(first) ? first : 0;
        DevicePage page = inventory.page(filter, cursors.get(start), pageSize, false);
        if (page.next() != null) {
            cursors.put(start + pageSize, page.next());
        }
        known = Math.max(known, start + page.devices().size() + (page.next() != null ? 1 : 0));
        setRowCount(known);
        return page.devices();
    }

    @Override
    public String getRowKey(DeviceSummary device) {
        return device.deviceId();
    }

    @Override
    public DeviceSummary getRowData(String rowKey) {
        return getWrappedData() == null ? null : getWrappedData().stream()
                .filter(d -> d.deviceId().equals(rowKey)).findFirst().orElse(null);
    }
}
