package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Memblock;

/**
 * The reserved-memory half of drivers/of/fdt.c: the {@code /memreserve/} entries and the first pass over
 * {@code /reserved-memory}, which reserves (or, with {@code no-map}, removes or marks nomap) every static
 * {@code reg} region at once and records the dynamic ones for {@link OfReservedMem#fdtInitReservedMem()}.
 */
public final class FdtReservedMem {

    private static final long SZ_1M = 1L << 20;

    private final OfProfile profile;
    private final Memblock memblock;
    private final OfReservedMem rmem;
    private final BootLog log;

    public FdtReservedMem(OfProfile profile, Memblock memblock, OfReservedMem rmem, BootLog log) {
        this.profile = profile;
        this.memblock = memblock;
        this.rmem = rmem;
        this.log = log;
    }

    /** The whole early step an arch's setup code calls once memblock knows the RAM banks. */
    @KernelFunction(symbol = "early_init_fdt_scan_reserved_mem", file = "drivers/of/fdt.c")
    public void earlyInitFdtScanReservedMem(DeviceTree dt) {
        scanRoot(dt);
        for (Reg r : dt.memreserve()) {
            if (r.size() == 0) {
                break;
            }
            reserveMemory(r.base(), r.size(), false);
        }
        fdtScanReservedMem(dt);
        rmem.fdtInitReservedMem();
    }

    /** {@code dt_root_addr_cells}/{@code dt_root_size_cells}: the root's values, else 1 and 1. */
    @KernelFunction(symbol = "early_init_dt_scan_root", file = "drivers/of/fdt.c")
    private void scanRoot(DeviceTree dt) {
        DeviceNode root = dt.root();
        long addr = root.property("#address-cells").map(Property::u32).orElse(
                (long) DeviceNode.ROOT_ADDR_CELLS_DEFAULT);
        long size = root.property("#size-cells").map(Property::u32).orElse(
                (long) DeviceNode.ROOT_SIZE_CELLS_DEFAULT);
        rmem.setTree(dt, (int) addr, (int) size);
    }

    /** Returns 0, -ENODEV without {@code /reserved-memory}, -EINVAL when its format is unsupported. */
    @KernelFunction(symbol = "fdt_scan_reserved_mem", file = "drivers/of/fdt.c")
    int fdtScanReservedMem(DeviceTree dt) {
        DeviceNode node = dt.root().child("reserved-memory").orElse(null);
        if (node == null) {
            return -Errno.ENODEV;
        }
        if (checkRoot(node) != 0) {
            log.err(profile.fdtPrefix() + "Reserved memory: unsupported node format, ignoring");
            return -Errno.EINVAL;
        }
        for (DeviceNode child : node.children()) {
            if (!child.isAvailable()) {
                continue;
            }
            int err = reserveReg(child, child.fullName());
            if (err == -Errno.ENOENT && child.hasProperty("size")) {
                rmem.saveNode(child, child.fullName(), 0, 0);
            }
        }
        return 0;
    }

    /** The node's cell counts must equal the root's and {@code ranges} must be present (its value is not read). */
    @KernelFunction(symbol = "__reserved_mem_check_root", file = "drivers/of/fdt.c")
    private int checkRoot(DeviceNode node) {
        Property p = node.property("#size-cells").orElse(null);
        if (p == null || p.u32() != rmem.rootSizeCells()) {
            return -Errno.EINVAL;
        }
        p = node.property("#address-cells").orElse(null);
        if (p == null || p.u32() != rmem.rootAddrCells()) {
            return -Errno.EINVAL;
        }
        return node.hasProperty("ranges") ? 0 : -Errno.EINVAL;
    }

    /** Reserves every (base, size) of {@code reg}; only the first is saved as the region. */
    @KernelFunction(symbol = "__reserved_mem_reserve_reg", file = "drivers/of/fdt.c")
    private int reserveReg(DeviceNode node, String uname) {
        int perEntry = rmem.rootAddrCells() + rmem.rootSizeCells();
        Property prop = node.property("reg").orElse(null);
        if (prop == null) {
            return -Errno.ENOENT;
        }
        int len = prop.length();
        if (len != 0 && len % (perEntry * 4) != 0) {
            log.err(profile.fdtPrefix() + "Reserved memory: invalid reg property in '" + uname + "', skipping node.");
            return -Errno.EINVAL;
        }
        boolean nomap = node.hasProperty("no-map");
        boolean first = true;
        for (int cell = 0; cell + perEntry <= prop.cellCount(); cell += perEntry) {
            long base = prop.readNumber(cell, rmem.rootAddrCells());
            long size = prop.readNumber(cell + rmem.rootAddrCells(), rmem.rootSizeCells());
            String where = "'" + uname + "': base " + profile.pa(base) + ", size " + size / SZ_1M + " MiB";
            if (size != 0 && reserveMemory(base, size, nomap) == 0) {
                log.debug(profile.fdtPrefix() + "Reserved memory: reserved region for node " + where);
            } else {
                log.info(profile.fdtPrefix() + "Reserved memory: failed to reserve memory for node " + where);
            }
            if (first) {
                rmem.saveNode(node, uname, base, size);
                first = false;
            }
        }
        return 0;
    }

    /**
     * {@code early_init_dt_reserve_memory_arch} (4.4, 5.10; {@code no-map} removes the range from memory) and
     * {@code early_init_dt_reserve_memory} (6.1; {@code no-map} marks it nomap, refused with -EBUSY over RAM that is
     * already reserved).
     */
    @KernelFunction(symbol = "early_init_dt_reserve_memory", file = "drivers/of/fdt.c")
    private int reserveMemory(long base, long size, boolean nomap) {
        if (!nomap) {
            return memblock.reserve(base, size);
        }
        if (!profile.is61()) {
            return memblock.remove(base, size);
        }
        if (memblock.overlapsMemory(base, size) && memblock.isRegionReserved(base, size)) {
            return -Errno.EBUSY;
        }
        return memblock.markNomap(base, size);
    }
}
