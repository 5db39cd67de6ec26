package dev.ota.fleet;

import java.util.List;

/**
 * One keyset page of devices in id order. {@code next} is the id to pass as {@code after} for the following
 * page, absent on the last one; {@code count} is how many devices match in all, only when asked for (it
 * costs a scan of the matching rows).
 */
public record DevicePage(List<DeviceSummary> devices, String next, Long count) {
    public DevicePage {
        devices = List.copyOf(devices);
    }
}
