package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.drivers.base.Device;

/** dev_err() / pr_err() of the driver models, into the machine's kernel log. */
final class DevPrintk {

    private DevPrintk() {
    }

    /** dev_err(dev, fmt): "driver devname: message"; a NULL device prints "(NULL device *)" as dev_printk does. */
    static void devErr(DriverEnv env, Device dev, String message) {
        String who = dev == null ? "(NULL device *)" : dev.driverString() + " " + dev.devName();
        env.kernel().machine().printk().log(who + ": " + message);
    }

    /** pr_err(fmt). */
    static void prErr(DriverEnv env, String message) {
        env.kernel().machine().printk().log(message);
    }
}
