package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.drivers.base.Device;

/** What a driver model sees when the scenario runner probes, drives or removes it. */
public interface DriverEnv {

    Kernel kernel();

    /** The device the driver is bound to (a driver that passes NULL to the DMA API, like the sound port, ignores it). */
    Device device();

    DmaApi dma();

    /** A numeric parameter from the scenario's driver entry (sizes in bytes), or {@code defaultValue}. */
    long param(String name, long defaultValue);
}
