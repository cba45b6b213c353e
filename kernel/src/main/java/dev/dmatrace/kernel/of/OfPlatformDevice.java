package dev.dmatrace.kernel.of;

/**
 * A platform device made from a devicetree node, named as {@code of_device_make_bus_id} names it:
 * {@code <reg address in hex>.<node name>} (identity {@code ranges} assumed).
 */
public record OfPlatformDevice(String devName, DeviceNode ofNode) implements OfDevice {

    public static OfPlatformDevice of(DeviceNode node) throws DtsException {
        var reg = node.reg();
        String name = reg.isEmpty() ? node.name() : Long.toHexString(reg.get(0).base()) + "." + node.name();
        return new OfPlatformDevice(name, node);
    }
}
