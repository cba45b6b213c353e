package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Memblock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * drivers/of/of_reserved_mem.c: the {@code reserved_mem[]} table the early scan fills, the second pass that places
 * dynamic regions and hands each region to its init function, and the binding of devices to regions through
 * {@code memory-region}. Messages carry the file's pr_fmt ({@code "OF: reserved mem: "}; 4.4 spells
 * {@code "Reserved memory: "} instead).
 */
public final class OfReservedMem {

    private static final long SZ_1M = 1L << 20;

    private final OfProfile profile;
    private final Memblock memblock;
    private final ReservedMemOfTable table;
    private final BootLog log;
    private final List<ReservedMem> reservedMem = new ArrayList<>();
    private final List<Assigned> assigned = new ArrayList<>();
    private DeviceTree tree;
    private int rootAddrCells = DeviceNode.ROOT_ADDR_CELLS_DEFAULT;
    private int rootSizeCells = DeviceNode.ROOT_SIZE_CELLS_DEFAULT;

    /** {@code struct rmem_assigned_device}. */
    private record Assigned(OfDevice dev, ReservedMem rmem) {
    }

    public OfReservedMem(OfProfile profile, Memblock memblock, ReservedMemOfTable table, BootLog log) {
        this.profile = profile;
        this.memblock = memblock;
        this.table = table;
        this.log = log;
    }

    /** The regions in table order (sorted by base once the second pass has run). */
    public List<ReservedMem> regions() {
        return List.copyOf(reservedMem);
    }

    /** The tree and {@code dt_root_addr_cells}/{@code dt_root_size_cells} the early scan read. */
    void setTree(DeviceTree dt, int addrCells, int sizeCells) {
        this.tree = dt;
        this.rootAddrCells = addrCells;
        this.rootSizeCells = sizeCells;
    }

    int rootAddrCells() {
        return rootAddrCells;
    }

    int rootSizeCells() {
        return rootSizeCells;
    }

    @KernelFunction(symbol = "fdt_reserved_mem_save_node", file = "drivers/of/of_reserved_mem.c")
    void saveNode(DeviceNode node, String uname, long base, long size) {
        if (reservedMem.size() == profile.maxReservedRegions()) {
            log.err(profile.is44() ? "Reserved memory: not enough space all defined regions."
                    : profile.rmemPrefix() + "not enough space for all defined regions.");
            return;
        }
        reservedMem.add(new ReservedMem(uname, node, base, size));
    }

    private record Placed(int err, long base) {
    }

    @KernelFunction(symbol = "early_init_dt_alloc_reserved_memory_arch", file = "drivers/of/of_reserved_mem.c")
    private Placed allocReservedMemoryArch(long size, long align, long start, long end, boolean nomap) {
        end = end == 0 ? Memblock.ALLOC_ANYWHERE : end;
        if (profile.is44()) {
            long base = memblock.allocBase(size, align, end);
            if (base == 0) {
                return new Placed(-Errno.ENOMEM, 0);
            }
            if (base < start) {
                // 4.4 searched below end only; a hit under start is given back
                memblock.physFree(base, size);
                return new Placed(-Errno.ENOMEM, 0);
            }
            return new Placed(nomap ? memblock.remove(base, size) : 0, base);
        }
        align = align == 0 ? Memblock.SMP_CACHE_BYTES : align;
        if (!profile.is61()) {
            long base = memblock.findInRange(start, end, size, align);
            if (base == 0) {
                return new Placed(-Errno.ENOMEM, 0);
            }
            return new Placed(nomap ? memblock.remove(base, size) : memblock.reserve(base, size), base);
        }
        long base = memblock.physAllocRange(size, align, start, end);
        if (base == 0) {
            return new Placed(-Errno.ENOMEM, 0);
        }
        int err = 0;
        if (nomap) {
            err = memblock.markNomap(base, size);
            if (err != 0) {
                memblock.physFree(base, size);
            }
        }
        return new Placed(err, base);
    }

    @KernelFunction(symbol = "__reserved_mem_alloc_size", file = "drivers/of/of_reserved_mem.c")
    int allocSize(ReservedMem rmem) {
        DeviceNode node = rmem.node();
        String uname = rmem.name();
        String pfx = profile.rmemPrefix();
        Property prop = node.property("size").orElse(null);
        if (prop == null) {
            return -Errno.EINVAL;
        }
        if (prop.length() != rootSizeCells * 4) {
            log.err(pfx + "invalid size property in '" + uname + "' node.");
            return -Errno.EINVAL;
        }
        long size = prop.readNumber(0, rootSizeCells);
        long align = 0;
        prop = node.property("alignment").orElse(null);
        if (prop != null) {
            if (prop.length() != rootAddrCells * 4) {
                log.err(pfx + "invalid alignment property in '" + uname + "' node.");
                return -Errno.EINVAL;
            }
            align = prop.readNumber(0, rootAddrCells);
        }
        boolean nomap = node.hasProperty("no-map");
        if (node.isCompatible("shared-dma-pool") && node.hasProperty("reusable") && !nomap) {
            align = Math.max(align, profile.cmaMinAlignmentBytes());
        }
        long base = 0;
        prop = node.property("alloc-ranges").orElse(null);
        if (prop != null) {
            int perRange = rootAddrCells + rootSizeCells;
            if (prop.length() % (perRange * 4) != 0) {
                log.err(pfx + "invalid alloc-ranges property in '" + uname + "', skipping node.");
                return -Errno.EINVAL;
            }
            for (int cell = 0; cell < prop.cellCount(); cell += perRange) {
                long start = prop.readNumber(cell, rootAddrCells);
                long end = start + prop.readNumber(cell + rootAddrCells, rootSizeCells);
                Placed p = allocReservedMemoryArch(size, align, start, end, nomap);
                if (p.err() == 0) {
                    base = p.base();
                    logAllocated(uname, base, size);
                    break;
                }
            }
        } else {
            Placed p = allocReservedMemoryArch(size, align, 0, 0, nomap);
            if (p.err() == 0) {
                base = p.base();
                logAllocated(uname, base, size);
            }
        }
        if (base == 0) {
            if (profile.is61()) {
                log.err(pfx + "failed to allocate memory for node '" + uname + "': size " + size / SZ_1M + " MiB");
            } else {
                log.info(pfx + "failed to allocate memory for node '" + uname + "'");
            }
            return -Errno.ENOMEM;
        }
        rmem.place(base, size);
        return 0;
    }

    private void logAllocated(String uname, long base, long size) {
        log.debug(profile.rmemPrefix() + "allocated memory for '" + uname + "' node: base " + profile.pa(base)
                + ", size " + size / SZ_1M + " MiB");
    }

    /** Calls each matching init function; 4.4 returns -ENOENT unless one succeeded, later kernels the last error. */
    @KernelFunction(symbol = "__reserved_mem_init_node", file = "drivers/of/of_reserved_mem.c")
    int initNode(ReservedMem rmem) {
        int ret = -Errno.ENOENT;
        for (ReservedMemOfTable.Entry e : table.entries()) {
            if (!rmem.node().isCompatible(e.compatible())) {
                continue;
            }
            int r = e.init().init(rmem);
            if (r == 0) {
                log.info(profile.rmemPrefix() + "initialized node " + rmem.name() + ", compatible id "
                        + e.compatible());
                return 0;
            }
            if (!profile.is44()) {
                ret = r;
            }
        }
        return ret;
    }

    /** 4.4 orders by base only; later kernels put the dynamic (0, 0) entries before a static region at 0. */
    @KernelFunction(symbol = "__rmem_cmp", file = "drivers/of/of_reserved_mem.c")
    private int rmemCmp(ReservedMem a, ReservedMem b) {
        int c = Long.compareUnsigned(a.base(), b.base());
        return c != 0 || profile.is44() ? c : Long.compareUnsigned(a.size(), b.size());
    }

    /** Sorts the table and reports each overlap; nothing else happens to the overlapping regions. */
    @KernelFunction(symbol = "__rmem_check_for_overlap", file = "drivers/of/of_reserved_mem.c")
    private void checkForOverlap() {
        if (reservedMem.size() < 2) {
            return;
        }
        LibSort.sort(reservedMem, (Comparator<ReservedMem>) this::rmemCmp, profile);
        for (int i = 0; i < reservedMem.size() - 1; i++) {
            ReservedMem cur = reservedMem.get(i);
            ReservedMem next = reservedMem.get(i + 1);
            if (profile.is44() && !(cur.base() != 0 && next.base() != 0)) {
                continue;
            }
            if (cur.base() + cur.size() > next.base()) {
                log.err(profile.rmemPrefix() + "OVERLAP DETECTED!\n" + cur.name() + " (" + profile.pa(cur.base())
                        + "--" + profile.pa(cur.base() + cur.size()) + ") overlaps with " + next.name() + " ("
                        + profile.pa(next.base()) + "--" + profile.pa(next.base() + next.size()) + ")");
            }
        }
    }

    /** The second pass: overlap check, placement of dynamic regions, init functions, and give-back on failure. */
    @KernelFunction(symbol = "fdt_init_reserved_mem", file = "drivers/of/of_reserved_mem.c")
    public void fdtInitReservedMem() {
        checkForOverlap();
        for (ReservedMem rmem : reservedMem) {
            DeviceNode node = rmem.node();
            boolean nomap = node.hasProperty("no-map");
            rmem.setPhandle(node.phandle());
            int err = 0;
            if (rmem.size() == 0) {
                err = allocSize(rmem);
            }
            if (err != 0) {
                continue;
            }
            err = initNode(rmem);
            if (profile.is44() || err == 0 || err == -Errno.ENOENT) {
                continue;
            }
            log.info(profile.rmemPrefix() + "node " + rmem.name() + " compatible matching fail");
            if (profile.is61()) {
                if (nomap) {
                    memblock.clearNomap(rmem.base(), rmem.size());
                } else {
                    memblock.physFree(rmem.base(), rmem.size());
                }
            } else {
                memblock.physFree(rmem.base(), rmem.size());
                if (nomap) {
                    memblock.add(rmem.base(), rmem.size());
                }
            }
        }
    }

    @KernelFunction(symbol = "__find_rmem", file = "drivers/of/of_reserved_mem.c")
    private ReservedMem findRmem(DeviceNode node) {
        if (node.phandle() == 0) {
            return null;
        }
        return reservedMem.stream().filter(r -> r.phandle() == node.phandle()).findFirst().orElse(null);
    }

    /** {@code of_parse_phandle(np, "memory-region", idx)}. */
    private DeviceNode parseMemoryRegion(DeviceNode np, int idx) {
        Property p = np.property("memory-region").orElse(null);
        if (p == null || idx < 0 || idx >= p.cellCount() || tree == null) {
            return null;
        }
        return tree.byPhandle((int) p.cell(idx)).orElse(null);
    }

    /**
     * Binds {@code dev} to the region the {@code idx}-th {@code memory-region} phandle names: -ENODEV without
     * one, 0 (nothing done) when the region node is disabled, -EINVAL when no init function claimed it.
     */
    @KernelFunction(symbol = "of_reserved_mem_device_init_by_idx", file = "drivers/of/of_reserved_mem.c",
            versions = {"5.10", "6.1"})
    public int deviceInitByIdx(OfDevice dev, DeviceNode np, int idx) {
        if (profile.is44()) {
            throw new UnsupportedOperationException("4.4 has only of_reserved_mem_device_init(dev)");
        }
        if (np == null || dev == null) {
            return -Errno.EINVAL;
        }
        DeviceNode target = parseMemoryRegion(np, idx);
        if (target == null) {
            return -Errno.ENODEV;
        }
        if (!target.isAvailable()) {
            return 0;
        }
        return bind(dev, findRmem(target));
    }

    /** 4.4's own function (first region, no availability check); later kernels' inline wrapper of by_idx 0. */
    @KernelFunction(symbol = "of_reserved_mem_device_init", file = "drivers/of/of_reserved_mem.c")
    public int deviceInit(OfDevice dev) {
        if (!profile.is44()) {
            return deviceInitByIdx(dev, dev.ofNode(), 0);
        }
        DeviceNode target = parseMemoryRegion(dev.ofNode(), 0);
        if (target == null) {
            return -Errno.ENODEV;
        }
        return bind(dev, findRmem(target));
    }

    /** {@code memory-region-names} picks the index; an unknown name ends as -ENODEV like a missing phandle. */
    @KernelFunction(symbol = "of_reserved_mem_device_init_by_name", file = "drivers/of/of_reserved_mem.c",
            versions = {"5.10", "6.1"})
    public int deviceInitByName(OfDevice dev, DeviceNode np, String name) {
        int idx = np.property("memory-region-names").map(p -> p.strings().indexOf(name)).orElse(-1);
        return deviceInitByIdx(dev, np, idx);
    }

    private int bind(OfDevice dev, ReservedMem rmem) {
        if (rmem == null || rmem.ops() == null) {
            return -Errno.EINVAL;
        }
        int ret = rmem.ops().deviceInit(rmem, dev);
        if (ret == 0) {
            assigned.add(0, new Assigned(dev, rmem));
            log.info(dev.driverString() + " " + dev.devName() + ": assigned reserved memory node " + rmem.name());
        }
        return ret;
    }

    @KernelFunction(symbol = "of_reserved_mem_device_release", file = "drivers/of/of_reserved_mem.c")
    public void deviceRelease(OfDevice dev) {
        for (Iterator<Assigned> it = assigned.iterator(); it.hasNext(); ) {
            Assigned a = it.next();
            if (a.dev() == dev) {
                it.remove();
                a.rmem().ops().deviceRelease(a.rmem(), dev);
            }
        }
    }

    /** The regions bound to {@code dev}, most recent first. */
    public List<ReservedMem> assignedTo(OfDevice dev) {
        return assigned.stream().filter(a -> a.dev() == dev).map(Assigned::rmem).toList();
    }

    /** By the node's full name, as the kernel compares {@code kbasename(np->full_name)}. */
    @KernelFunction(symbol = "of_reserved_mem_lookup", file = "drivers/of/of_reserved_mem.c",
            versions = {"5.10", "6.1"})
    public Optional<ReservedMem> lookup(DeviceNode np) {
        return reservedMem.stream().filter(r -> r.name().equals(np.fullName())).findFirst();
    }
}
