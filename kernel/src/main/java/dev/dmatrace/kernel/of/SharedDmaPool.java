package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.boot.Arch;
import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;

/**
 * The two init functions registered for {@code compatible = "shared-dma-pool"}: {@code rmem_cma_setup}
 * (kernel/dma/contiguous.c; drivers/base/dma-contiguous.c in 4.4) claims {@code reusable} regions as CMA areas,
 * {@code rmem_dma_setup} (kernel/dma/coherent.c; drivers/base/dma-coherent.c in 4.4) claims the others as
 * per-device coherent pools. The decisions and messages are ported here; building the {@code struct cma} or
 * {@code struct dma_coherent_mem} is left to a {@link Backend} the DMA layer supplies.
 */
public final class SharedDmaPool {

    private static final long SZ_1M = 1L << 20;

    /** The DMA layer's side: make the backing objects and attach them to devices. */
    public interface Backend {

        /** {@code cma_init_reserved_mem(base, size, 0, name, &cma)}: 0 with {@code rmem.setPriv(cma)}, or -errno. */
        default int cmaInitReservedMem(ReservedMem rmem) {
            rmem.setPriv("cma:" + rmem.name());
            return 0;
        }

        /** {@code dma_init_coherent_memory(base, base, size, ...)}: 0 with {@code rmem.setPriv(mem)}, or -errno. */
        default int dmaInitCoherentMemory(ReservedMem rmem) {
            rmem.setPriv("dma:" + rmem.name());
            return 0;
        }

        /** {@code dev->cma_area = cma}; {@code null} on release. */
        default void setCmaArea(OfDevice dev, Object cma) {
        }

        /** {@code dma_assign_coherent_memory(dev, mem)}; {@code null} on release ({@code dev->dma_mem = NULL}). */
        default void setDmaMem(OfDevice dev, Object mem) {
        }
    }

    private final OfProfile profile;
    private final BootLog log;
    private final Backend backend;
    private final boolean cmaCmdlineGiven;
    private ReservedMem defaultCma;
    private ReservedMem dmaDefault;

    /**
     * @param cmaCmdlineGiven {@code size_cmdline != -1}: a {@code cma=} parameter was on the command line
     */
    public SharedDmaPool(OfProfile profile, BootLog log, Backend backend, boolean cmaCmdlineGiven) {
        this.profile = profile;
        this.log = log;
        this.backend = backend;
        this.cmaCmdlineGiven = cmaCmdlineGiven;
    }

    /** Registers both init functions in link order: contiguous (CMA) before coherent. */
    public ReservedMemOfTable declareIn(ReservedMemOfTable table) {
        return table.declare("cma", "shared-dma-pool", this::rmemCmaSetup)
                .declare("dma", "shared-dma-pool", this::rmemDmaSetup);
    }

    /** The region that became {@code dma_contiguous_default_area}, or {@code null}. */
    public ReservedMem defaultCma() {
        return defaultCma;
    }

    /** The {@code linux,dma-default} region ({@code dma_reserved_default_memory}), or {@code null}. */
    public ReservedMem dmaDefault() {
        return dmaDefault;
    }

    @KernelFunction(symbol = "rmem_cma_setup", file = "kernel/dma/contiguous.c")
    public int rmemCmaSetup(ReservedMem rmem) {
        DeviceNode node = rmem.node();
        boolean isDefault = node.hasProperty("linux,cma-default");
        if (!profile.is44() && cmaCmdlineGiven && isDefault) {
            log.info("Reserved memory: bypass " + rmem.name() + " node, using cmdline CMA params instead");
            return -Errno.EBUSY;
        }
        if (!node.hasProperty("reusable") || node.hasProperty("no-map")) {
            return -Errno.EINVAL;
        }
        long mask = profile.cmaMinAlignmentBytes() - 1;
        if ((rmem.base() & mask) != 0 || (rmem.size() & mask) != 0) {
            log.err("Reserved memory: incorrect alignment of CMA region");
            return -Errno.EINVAL;
        }
        int err = backend.cmaInitReservedMem(rmem);
        if (err != 0) {
            log.err("Reserved memory: unable to setup CMA region");
            return err;
        }
        if (isDefault) {
            defaultCma = rmem;
        }
        rmem.setOps(new ReservedMemOps() {
            @Override
            public int deviceInit(ReservedMem r, OfDevice dev) {
                return rmemCmaDeviceInit(r, dev);
            }

            @Override
            public void deviceRelease(ReservedMem r, OfDevice dev) {
                backend.setCmaArea(dev, null);
            }
        });
        log.info("Reserved memory: created CMA memory pool at " + profile.pa(rmem.base()) + ", size "
                + rmem.size() / SZ_1M + " MiB");
        return 0;
    }

    @KernelFunction(symbol = "rmem_cma_device_init", file = "kernel/dma/contiguous.c")
    private int rmemCmaDeviceInit(ReservedMem rmem, OfDevice dev) {
        backend.setCmaArea(dev, rmem.priv());
        return 0;
    }

    /**
     * Rejects {@code reusable}; on 32-bit ARM also a region without {@code no-map}. {@code linux,dma-default}
     * names the global pool on ARM in 5.10 ({@code CONFIG_DMA_GLOBAL_POOL} in 6.1, i.e. ARM without MMU: not
     * modelled); 4.4 has no such property.
     */
    @KernelFunction(symbol = "rmem_dma_setup", file = "kernel/dma/coherent.c")
    public int rmemDmaSetup(ReservedMem rmem) {
        DeviceNode node = rmem.node();
        if (node.hasProperty("reusable")) {
            return -Errno.EINVAL;
        }
        boolean arm = profile.arch() == Arch.ARM;
        if (arm && !node.hasProperty("no-map")) {
            log.err("Reserved memory: regions without no-map are not yet supported");
            return -Errno.EINVAL;
        }
        if (profile.armDmaDefaultPool() && node.hasProperty("linux,dma-default")) {
            if (dmaDefault != null) {
                log.warn("Reserved memory: region for default DMA coherent area is redefined");
            }
            dmaDefault = rmem;
        }
        rmem.setOps(new ReservedMemOps() {
            @Override
            public int deviceInit(ReservedMem r, OfDevice dev) {
                return rmemDmaDeviceInit(r, dev);
            }

            @Override
            public void deviceRelease(ReservedMem r, OfDevice dev) {
                backend.setDmaMem(dev, null);
            }
        });
        log.info("Reserved memory: created DMA memory pool at " + profile.pa(rmem.base()) + ", size "
                + rmem.size() / SZ_1M + " MiB");
        return 0;
    }

    /** The pool is made on first bind and shared by later ones; 4.4 turns a failure into -ENODEV. */
    @KernelFunction(symbol = "rmem_dma_device_init", file = "kernel/dma/coherent.c")
    private int rmemDmaDeviceInit(ReservedMem rmem, OfDevice dev) {
        if (rmem.priv() == null) {
            int ret = backend.dmaInitCoherentMemory(rmem);
            if (ret != 0) {
                log.err("Reserved memory: failed to init DMA memory pool at " + profile.pa(rmem.base())
                        + ", size " + rmem.size() / SZ_1M + " MiB");
                return profile.is44() ? -Errno.ENODEV : ret;
            }
        }
        backend.setDmaMem(dev, rmem.priv());
        return 0;
    }
}
