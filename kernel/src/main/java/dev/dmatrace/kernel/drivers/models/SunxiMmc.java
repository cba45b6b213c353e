package dev.dmatrace.kernel.drivers.models;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Gfp;

/**
 * The Allwinner SD/MMC host, drivers/mmc/host/sunxi-mmc.c: sunxi_mmc_probe() allocates one page of IDMA
 * descriptors ({@code host->sg_cpu}) and sunxi_mmc_remove() frees it. mmc_alloc_host() and the clocks, resets and
 * regulators of sunxi_mmc_resource_request() touch no DMA memory and are not simulated.
 */
public final class SunxiMmc implements DriverModel {

    static final long PAGE_SIZE = 4096;

    private long sgCpu;
    private long sgDma;

    @Override
    @KernelFunction(symbol = "sunxi_mmc_probe", file = "drivers/mmc/host/sunxi-mmc.c")
    public int probe(DriverEnv env) {
        long[] handle = new long[1];
        sgCpu = env.dma().dmaAllocCoherent(env.device(), PAGE_SIZE, handle, Gfp.GFP_KERNEL);
        if (sgCpu == 0) {
            DevPrintk.devErr(env, env.device(), "Failed to allocate DMA descriptor mem");
            // goto error_free_host: mmc_free_host() only
            return -Errno.ENOMEM;
        }
        sgDma = handle[0];
        return 0;
    }

    /**
     * A request: sunxi_mmc_init_idma_des() fills the descriptors in place; the data buffers go through
     * dma_map_sg(), which the DMA API slice of the models does not carry.
     */
    @Override
    public int io(DriverEnv env) {
        return 0;
    }

    @Override
    @KernelFunction(symbol = "sunxi_mmc_remove", file = "drivers/mmc/host/sunxi-mmc.c")
    public void remove(DriverEnv env) {
        env.dma().dmaFreeCoherent(env.device(), PAGE_SIZE, sgCpu, sgDma);
        sgCpu = 0;
    }
}
