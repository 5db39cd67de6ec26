package dev.ota.portal;

import dev.ota.fleet.DeviceFilter;
import dev.ota.fleet.DevicePage;
import dev.ota.fleet.DeviceSummary;
import dev.ota.fleet.Inventory;

/** The device list's lazy model over the inventory's keyset query, by device id. */
class DeviceKeysetModel extends KeysetModel<DeviceSummary, String> {
    private static final long serialVersionUID = 1L;

    private final transient Inventory inventory;
    private final DeviceFilter filter;

    DeviceKeysetModel(Inventory inventory, DeviceFilter filter) {
        super(null);
        this.inventory = inventory;
        this.filter = filter;
    }

    @Override
    Page<DeviceSummary, String> page(String after, int pageSize) {
        DevicePage page = inventory.page(filter, after, pageSize, false);
        return new Page<>(page.devices(), page.next());
    }

    @Override
    String key(DeviceSummary device) {
        return device.deviceId();
    }
}
