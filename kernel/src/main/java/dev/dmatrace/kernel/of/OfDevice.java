package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.KernelValue;

/** What of/ needs of a {@code struct device}: its name for dev_printk and its devicetree node. */
public interface OfDevice {

    /** {@code dev_name(dev)}, e.g. {@code 10000000.video-codec}. */
    @KernelValue
    String devName();

    /** {@code dev->of_node}. */
    DeviceNode ofNode();

    /** {@code dev_driver_string(dev)}: the bound driver, else the bus name. */
    default String driverString() {
        return "platform";
    }
}
