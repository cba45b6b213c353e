package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.mm.Cma;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.mm.Compaction;
import dev.dmatrace.kernel.mm.FreeArea;
import dev.dmatrace.kernel.mm.Memblock;
import dev.dmatrace.kernel.mm.MemMap;
import dev.dmatrace.kernel.mm.MigrateType;
import dev.dmatrace.kernel.mm.Migrate;
import dev.dmatrace.kernel.mm.PageAlloc;
import dev.dmatrace.kernel.mm.PageAllocContig;
import dev.dmatrace.kernel.mm.PageIsolation;
import dev.dmatrace.kernel.mm.PageUsers;
import dev.dmatrace.kernel.mm.Vmscan;
import dev.dmatrace.kernel.mm.Zone;
import dev.dmatrace.kernel.mm.ZoneInit;
import dev.dmatrace.kernel.printk.Printk;
import dev.dmatrace.kernel.trace.Tracing;
import dev.dmatrace.kernel.trace.events.Kmem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One simulated machine: a board's RAM as a memmap, its zones and buddy allocator, its trace buffer and kernel log.
 * Two steps, like the kernel's boot: {@link #create} lays out memory and zones (every page reserved, as
 * memblock leaves them); early code then reserves ranges ({@link #memblockReserve}) and declares CMA areas
 * ({@link #declareCmaArea}) or register boot code ({@link #coreInitcall}); {@link #boot} frees the rest to the
 * buddy allocator (memblock_free_all), activates the CMA pageblocks, runs the initcalls and computes watermarks. {@link #boot(Board)} does both for a plain board.
 */
public final class Machine {

    private final Board board;
    private final MemMap memMap;
    private final Memblock memblock = new Memblock();
    private final PageAlloc pageAlloc;
    private final Tracing tracing;
    private final Printk printk = new Printk();
    private final PageUsers pageUsers;
    private final PageIsolation isolation;
    private final Migrate migrate;
    private final PageAllocContig contig;
    private final Cma cma;
    private final List<Consumer<Machine>> coreInitcalls = new ArrayList<>();
    private boolean booted;

    private Machine(Board board) {
        this.board = board;
        KernelProfile profile = board.profile();
        long ramStart = Long.MAX_VALUE;
        long ramEnd = 0;
        for (Board.Bank b : board.banks()) {
            ramStart = Math.min(ramStart, b.base());
            ramEnd = Math.max(ramEnd, b.end());
            memblock.add(b.base(), b.size());
        }
        long startPfn = ramStart >>> 12;
        int nrPages = Math.toIntExact((ramEnd >>> 12) - startPfn);
        int nrPcpLists = profile.nrPcpLists();
        int listHeads = Zone.MAX_NR_ZONES * (FreeArea.MAX_ORDER * MigrateType.MIGRATE_TYPES
                + board.cpus() * nrPcpLists);
        memMap = new MemMap(startPfn, nrPages, board.arch().pageblockOrder(), listHeads);
        tracing = new Tracing(profile, board.arch().is64bit());
        Kmem kmem = new Kmem(tracing, board.arch().pageblockOrder());
        long[] maxZonePfns = ZoneSizes.maxZonePfns(board.arch(), profile, ramStart, ramEnd);
        long[][] ram = board.banks().stream().map(b -> new long[] {b.base() >>> 12, b.end() >>> 12})
                .toArray(long[][]::new);
        Zone[] zones = ZoneInit.freeAreaInit(memMap, maxZonePfns, board.cpus(), nrPcpLists, ram);
        boolean configZoneDma32 = board.arch() != Arch.ARM && profile.atLeast(KernelProfile.V5_10)
                || board.arch() == Arch.X86_64;
        pageAlloc = new PageAlloc(profile, memMap, zones, configZoneDma32, printk, kmem);
        ZoneInit.buildAllZonelists(pageAlloc, board.arch().is64bit() ? 64 : 32);
        pageUsers = new PageUsers(pageAlloc);
        isolation = new PageIsolation(pageAlloc, new dev.dmatrace.kernel.trace.events.PageIsolation(tracing));
        migrate = new Migrate(pageAlloc, pageUsers, new dev.dmatrace.kernel.trace.events.Migrate(tracing));
        contig = new PageAllocContig(pageAlloc, isolation, new Compaction(pageAlloc, pageUsers),
                new Vmscan(pageAlloc, pageUsers), migrate);
        Zone highmem = zones[Zone.ZONE_HIGHMEM];
        long highmemStart = highmem.populated() ? highmem.zoneStartPfn() << 12 : ramEnd;
        cma = new Cma(pageAlloc, memblock, new dev.dmatrace.kernel.trace.events.Cma(tracing, board.arch().is64bit()),
                contig, highmemStart, board.arch().is64bit());
        if (board.bootReservedBytes() > 0) {
            memblock.reserve(ramStart, board.bootReservedBytes());
        }
    }

    /** Lays out the board's memory and zones; nothing is free yet. */
    public static Machine create(Board board) {
        return new Machine(board);
    }

    /** create() and boot() for a board without further reservations. */
    public static Machine boot(Board board) {
        Machine m = create(board);
        m.boot();
        return m;
    }

    /** memblock_reserve() before the buddy allocator is populated (DTS reserved-memory, CMA). */
    public int memblockReserve(long base, long size) {
        requireNotBooted();
        return memblock.reserve(base, size);
    }

    /**
     * Declares a CMA area at boot: its range is memblock-reserved now, and at {@link #boot} each pageblock
     * becomes MIGRATE_CMA and is freed to the buddy allocator (cma_activate_area -> init_cma_reserved_pageblock);
     * CmaTotal counts it (totalcma_pages). Base and size must be pageblock aligned; the version's stricter
     * alignment rules are {@link Cma#cmaDeclareContiguous}'s. The area has the version's default name.
     */
    public CmaArea declareCmaArea(long base, long size) {
        return declareCmaArea(null, base, size, 0);
    }

    /** {@link #declareCmaArea(long, long)} with a name (6.1's default area is "reserved") and order_per_bit. */
    public CmaArea declareCmaArea(String name, long base, long size, int orderPerBit) {
        requireNotBooted();
        long blockBytes = (long) memMap.pageblockNrPages() << 12;
        if (base % blockBytes != 0 || size % blockBytes != 0 || size <= 0) {
            throw new IllegalArgumentException("CMA area must be pageblock aligned");
        }
        memblock.reserve(base, size);
        return cma.addArea(base, size, orderPerBit, name);
    }

    /**
     * Registers boot code that runs where the kernel's core_initcalls do (cma_init_reserved_areas() is one):
     * after memblock_free_all() and the declared CMA areas, before init_per_zone_wmark_min() (a postcore_initcall).
     */
    public void coreInitcall(Consumer<Machine> initcall) {
        requireNotBooted();
        coreInitcalls.add(initcall);
    }

    /**
     * The boot steps from mm_init() to the postcore initcalls, as far as memory goes: memblock_free_all(), the pcp
     * sizing of 4.4/5.10, cma_activate_area() for each declared area, the registered core initcalls,
     * init_per_zone_wmark_min().
     */
    public void boot() {
        requireNotBooted();
        booted = true;
        memblock.freeAll(pageAlloc.free());
        if (!board.profile().atLeast(KernelProfile.V6_1)) {
            // [4.4, 5.10] setup_per_cpu_pageset() sizes the pcp lists now, before CMA pages are managed
            pageAlloc.pcp().setupPerCpuPageset();
        }
        // cma_init_reserved_areas() is a core_initcall itself: the first one
        cma.cmaInitReservedAreas();
        for (Consumer<Machine> initcall : coreInitcalls) {
            initcall.accept(this);
        }
        pageAlloc.watermarks().initPerZoneWmarkMin();
    }

    private void requireNotBooted() {
        if (booted) {
            throw new IllegalStateException("machine already booted");
        }
    }

    public Board board() {
        return board;
    }

    public MemMap memMap() {
        return memMap;
    }

    public Memblock memblock() {
        return memblock;
    }

    public PageAlloc pageAlloc() {
        return pageAlloc;
    }

    /** mm/cma.c: the CMA areas, cma_alloc, cma_release. */
    public Cma cma() {
        return cma;
    }

    /** alloc_contig_range() and friends. */
    public PageAllocContig contig() {
        return contig;
    }

    public PageIsolation isolation() {
        return isolation;
    }

    public Migrate migrate() {
        return migrate;
    }

    /** The users of movable pages (anon, page cache, shmem, pins). */
    public PageUsers pageUsers() {
        return pageUsers;
    }

    public Tracing tracing() {
        return tracing;
    }

    public Printk printk() {
        return printk;
    }
}
