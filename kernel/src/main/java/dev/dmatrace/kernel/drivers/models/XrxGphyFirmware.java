package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Gfp;

/**
 * The Lantiq xRX200 GPHY firmware loader, arch/mips/lantiq/xway/xrx200_phy_fw.c (4.4): xway_gphy_load()
 * over-allocates by the alignment ({@code fw->size + XRX200_GPHY_FW_ALIGN}, as the driver writes it), then moves
 * both the CPU pointer (PTR_ALIGN) and the bus address (ALIGN) up to the 16 KiB boundary the GPHY cores need. The
 * firmware image itself (request_firmware, memcpy) is not simulated: {@code size} stands for {@code fw->size}.
 * Parameters: {@code size} (default 64 KiB), {@code align} (default XRX200_GPHY_FW_ALIGN).
 */
public final class XrxGphyFirmware implements DriverModel {

    static final long XRX200_GPHY_FW_ALIGN = 16 * 1024;

    private long allocSize;
    private long allocCpu;
    private long allocDma;
    private long fwAddr;
    private long devAddr;

    @Override
    @KernelFunction(symbol = "xway_phy_fw_probe", file = "arch/mips/lantiq/xway/xrx200_phy_fw.c", versions = {"4.4"})
    public int probe(DriverEnv env) {
        devAddr = xwayGphyLoad(env, env.param("size", 64 * 1024), env.param("align", XRX200_GPHY_FW_ALIGN));
        return devAddr == 0 ? -Errno.EINVAL : 0;
    }

    /** xway_gphy_load(): the bus address of the aligned firmware, 0 when the allocation failed. */
    @KernelFunction(symbol = "xway_gphy_load", file = "arch/mips/lantiq/xway/xrx200_phy_fw.c", versions = {"4.4"})
    long xwayGphyLoad(DriverEnv env, long fwSize, long align) {
        long[] handle = new long[1];
        long size = fwSize + align;
        long cpu = env.dma().dmaAllocCoherent(env.device(), size, handle, Gfp.GFP_KERNEL);
        if (cpu == 0) {
            DevPrintk.devErr(env, env.device(), "failed to alloc firmware memory");
            return 0;
        }
        // the driver overwrites its only copies; the model keeps them so that remove() can free what was allocated
        allocSize = size;
        allocCpu = cpu;
        allocDma = handle[0];
        fwAddr = ptrAlign(cpu, align);
        return ptrAlign(handle[0], align);
    }

    /** PTR_ALIGN() / ALIGN(): up to the next multiple of a power of two. */
    static long ptrAlign(long x, long a) {
        return (x + a - 1) & -a;
    }

    /** The GPHYs boot from the firmware; nothing the DMA API sees happens after probe. */
    @Override
    public int io(DriverEnv env) {
        return 0;
    }

    /**
     * The driver has no remove: the firmware stays for the GPHYs' lifetime. The model frees it the only correct way,
     * with the pointers dma_alloc_coherent() returned, not the aligned ones.
     */
    @Override
    public void remove(DriverEnv env) {
        if (allocCpu != 0) {
            env.dma().dmaFreeCoherent(env.device(), allocSize, allocCpu, allocDma);
            allocCpu = 0;
        }
    }

    /** The aligned CPU address the firmware is copied to (0 before a successful probe). */
    public long firmwareAddr() {
        return fwAddr;
    }

    /** The aligned bus address handed to the GPHYs (xrx200_gphy_boot). */
    public long firmwareDmaAddr() {
        return devAddr;
    }
}
