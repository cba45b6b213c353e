package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.mm.Memblock;
import java.util.function.BiConsumer;

/**
 * The devicetree part of an arch's early setup in the kernel's order: RAM banks from the memory nodes, then
 * {@code early_init_fdt_scan_reserved_mem} with the {@code shared-dma-pool} init functions registered. What it
 * leaves behind (memblock, regions, default CMA area, log) is what the DMA layer and device probing start from.
 */
public record OfBoot(DeviceTree tree, Memblock memblock, OfReservedMem reservedMem, SharedDmaPool pools,
                     BootLog log) {

    /**
     * @param cmaCmdlineGiven whether {@code cma=} was on the command line (5.10+ then ignores
     *                        {@code linux,cma-default})
     */
    public static OfBoot run(DeviceTree tree, OfProfile profile, SharedDmaPool.Backend backend,
                             boolean cmaCmdlineGiven) throws DtsException {
        return run(tree, profile, backend, cmaCmdlineGiven, (memblock, log) -> { });
    }

    /**
     * @param betweenScans what the arch does after the memory nodes and before reserved memory: apply
     *                     {@code mem=} ({@code cmdline::applyMemoryLimit}), reserve the kernel image, initrd, DTB
     */
    public static OfBoot run(DeviceTree tree, OfProfile profile, SharedDmaPool.Backend backend,
                             boolean cmaCmdlineGiven, BiConsumer<Memblock, BootLog> betweenScans) throws DtsException {
        return run(tree, profile, backend, cmaCmdlineGiven, new Memblock(), new BootLog(), betweenScans);
    }

    /** The same on a machine's memblock and log (the memory nodes are added again: memblock_add() merges). */
    public static OfBoot run(DeviceTree tree, OfProfile profile, SharedDmaPool.Backend backend,
                             boolean cmaCmdlineGiven, Memblock memblock, BootLog log,
                             BiConsumer<Memblock, BootLog> betweenScans) throws DtsException {
        new FdtMemory(memblock, log).earlyInitDtScanMemory(tree);
        betweenScans.accept(memblock, log);
        SharedDmaPool pools = new SharedDmaPool(profile, log, backend, cmaCmdlineGiven);
        OfReservedMem rmem = new OfReservedMem(profile, memblock, pools.declareIn(new ReservedMemOfTable()), log);
        new FdtReservedMem(profile, memblock, rmem, log).earlyInitFdtScanReservedMem(tree);
        return new OfBoot(tree, memblock, rmem, pools, log);
    }
}
