package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.printk.Printk;
import dev.dmatrace.kernel.sched.Current;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * mm/cma.c: the table of CMA areas ({@code cma_areas[]}), their reservation at boot, activation, and
 * {@code cma_alloc}/{@code cma_release}. One instance per machine. Locks as the kernel: {@code cma->lock} (per area,
 * bitmap only) and the global {@code cma_mutex} around every alloc_contig_range() issued by CMA.
 */
public final class Cma {

    /** MAX_CMA_AREAS = 1 + CONFIG_CMA_AREAS (7 without NUMA). */
    public static final int MAX_CMA_AREAS = 8;
    /** CONFIG_CMA_ALIGNMENT default: the largest alignment order dma_alloc_from_contiguous() asks for. */
    public static final int CMA_ALIGNMENT = 8;

    private final PageAlloc pa;
    private final KernelProfile profile;
    private final Memblock memblock;
    private final Printk printk;
    private final dev.dmatrace.kernel.trace.events.Cma trace;
    private final PageAllocContig contig;
    private final long highmemStart;
    /** sizeof(phys_addr_t) == 8: %pa prints 16 hex digits, else 8 (32-bit ARM without LPAE). */
    private final boolean physAddr64;
    private final List<CmaArea> cmaAreas = new ArrayList<>();
    /** static DEFINE_MUTEX(cma_mutex). */
    final ReentrantLock cmaMutex = new ReentrantLock();

    /**
     * @param highmemStart physical start of highmem ({@code __pa(high_memory - 1) + 1}); the end of DRAM when the
     *        machine has no highmem
     * @param physAddr64 whether phys_addr_t is 64-bit (arm64, x86-64) or 32-bit (ARM without LPAE)
     */
    public Cma(PageAlloc pa, Memblock memblock, dev.dmatrace.kernel.trace.events.Cma trace, PageAllocContig contig,
            long highmemStart, boolean physAddr64) {
        this.pa = pa;
        this.profile = pa.profile;
        this.memblock = memblock;
        this.printk = pa.printk;
        this.trace = trace;
        this.contig = contig;
        this.highmemStart = highmemStart;
        this.physAddr64 = physAddr64;
    }

    /** printk's %pa: "0x" and 2 * sizeof(phys_addr_t) zero-padded hex digits. */
    private String pa(long addr) {
        return physAddr64 ? String.format("0x%016x", addr) : String.format("0x%08x", addr);
    }

    public List<CmaArea> areas() {
        return List.copyOf(cmaAreas);
    }

    /**
     * The minimum alignment of an area, in bytes: [4.4, 5.10] {@code PAGE_SIZE << max(MAX_ORDER - 1,
     * pageblock_order)}; [6.1] CMA_MIN_ALIGNMENT_BYTES, one pageblock.
     */
    private long minAlignmentBytes() {
        int order = profile.atLeast(KernelProfile.V6_1) ? pa.pageblockOrder
                : Math.max(PageAlloc.MAX_ORDER - 1, pa.pageblockOrder);
        return 4096L << order;
    }

    private void prErr(String msg) {
        printk.log("cma: " + msg);
    }

    /**
     * cma_init_reserved_mem(): turns a memblock-reserved range into the next area. The bitmap comes later
     * (cma_activate_area). Returns 0 and the area in {@code resCma[0]}, or -ENOSPC / -EINVAL.
     */
    @KernelFunction(symbol = "cma_init_reserved_mem", file = "mm/cma.c")
    public int cmaInitReservedMem(long base, long size, int orderPerBit, String name, CmaArea[] resCma) {
        if (cmaAreas.size() == MAX_CMA_AREAS) {
            prErr("Not enough slots for CMA reserved regions!");
            return -Errno.ENOSPC;
        }
        if (size == 0 || !memblock.isRegionReserved(base, size)) {
            return -Errno.EINVAL;
        }
        long alignment = minAlignmentBytes();
        // the alignment in pages must be a multiple of the bitmap granularity (6.1.0 checks it too)
        if (((alignment >> 12) & ((1L << orderPerBit) - 1)) != 0) {
            return -Errno.EINVAL;
        }
        if (((base | size) & (alignment - 1)) != 0) {
            return -Errno.EINVAL;
        }
        resCma[0] = addArea(base, size, orderPerBit, name);
        return 0;
    }

    /**
     * The slot-filling half of cma_init_reserved_mem(): [5.10, 6.1] the given name or "cma%d\n" (sic); [4.4] areas
     * have no name, "cma%d" stands in for the views. totalcma_pages grows by the area. Used directly, without the
     * version's alignment checks, by {@code Machine.declareCmaArea} (pageblock-aligned areas for allocator tests).
     */
    public CmaArea addArea(long base, long size, int orderPerBit, String name) {
        String n = name != null ? name
                : profile.atLeast(KernelProfile.V5_10) ? "cma" + cmaAreas.size() + "\n" : "cma" + cmaAreas.size();
        CmaArea cma = new CmaArea(n, base >>> 12, size >>> 12, orderPerBit);
        cmaAreas.add(cma);
        pa.addTotalcmaPages(size >>> 12);
        return cma;
    }

    /**
     * cma_declare_contiguous() [4.4] / cma_declare_contiguous_nid() [5.10, 6.1] (one node): reserves an area at a
     * fixed base or, with {@code fixed} false, top-down below {@code limit} like memblock, then registers it.
     * Prints "Reserved %ld MiB at %pa" or "Failed to reserve %ld MiB".
     */
    @KernelFunction(symbol = "cma_declare_contiguous_nid", file = "mm/cma.c")
    public int cmaDeclareContiguous(long base, long size, long limit, long alignment, int orderPerBit,
            boolean fixed, String name, CmaArea[] resCma) {
        long memblockEnd = memblock.endOfDram();
        int ret = declare(base, size, limit, alignment, orderPerBit, fixed, name, resCma, memblockEnd);
        if (ret == 0) {
            long reserved = resCma[0].basePfn << 12;
            // [6.12] names the node: NUMA_NO_NODE for the areas the port declares
            String node = profile.atLeast(KernelProfile.V6_12) ? " on node -1" : "";
            printk.log(String.format("cma: Reserved %d MiB at %s%s", size >> 20, pa(reserved), node));
        } else {
            prErr(String.format("Failed to reserve %d MiB", size >> 20));
        }
        return ret;
    }

    private int declare(long base, long size, long limit, long alignment, int orderPerBit, boolean fixed,
            String name, CmaArea[] resCma, long memblockEnd) {
        boolean v510 = profile.atLeast(KernelProfile.V5_10);
        if (cmaAreas.size() == MAX_CMA_AREAS) {
            prErr("Not enough slots for CMA reserved regions!");
            return -Errno.ENOSPC;
        }
        if (size == 0) {
            return -Errno.EINVAL;
        }
        if (alignment != 0 && Long.bitCount(alignment) != 1) {
            return -Errno.EINVAL;
        }
        alignment = Math.max(alignment, minAlignmentBytes());
        if (v510 && fixed && (base & (alignment - 1)) != 0) {
            prErr(String.format("Region at %s must be aligned to %s bytes", pa(base), pa(alignment)));
            return -Errno.EINVAL;
        }
        base = (base + alignment - 1) & -alignment;
        size = (size + alignment - 1) & -alignment;
        limit &= -alignment;
        if (base == 0) {
            fixed = false;
        }
        if ((size & ((4096L << orderPerBit) - 1)) != 0) {
            return -Errno.EINVAL;
        }
        if (fixed && base < highmemStart && base + size > highmemStart) {
            prErr(String.format("Region at %s defined on low/high memory boundary (%s)", pa(base),
                    pa(highmemStart)));
            return -Errno.EINVAL;
        }
        if (limit == 0 || limit > memblockEnd) {
            limit = memblockEnd;
        }
        if (v510 && base + size > limit) {
            prErr(String.format("Size (%s) of region at %s exceeds limit (%s)", pa(size), pa(base), pa(limit)));
            return -Errno.EINVAL;
        }
        if (fixed) {
            if (memblock.isRegionReserved(base, size)) {
                return -Errno.EBUSY;
            }
            memblock.reserve(base, size);
        } else {
            long addr = 0;
            if (base < highmemStart && limit > highmemStart) {
                addr = memblock.allocRangeNid(size, alignment, highmemStart, limit);
                limit = highmemStart;
            }
            // [6.1] 64-bit: prefer memory above 4 GiB when there is enough of it
            if (addr == 0 && profile.atLeast(KernelProfile.V6_1) && !memblock.bottomUp()
                    && memblockEnd >= (1L << 32) + size) {
                memblock.setBottomUp(true);
                addr = memblock.allocRangeNid(size, alignment, 1L << 32, limit);
                memblock.setBottomUp(false);
            }
            if (addr == 0) {
                addr = memblock.allocRangeNid(size, alignment, base, limit);
            }
            if (addr == 0) {
                return -Errno.ENOMEM;
            }
            base = addr;
        }
        return cmaInitReservedMem(base, size, orderPerBit, name, resCma);
    }

    /**
     * cma_init_reserved_areas() (core_initcall): activates every area. [4.4] stops at the first area that fails
     * and returns its error; [5.10, 6.1] reports and continues.
     */
    @KernelFunction(symbol = "cma_init_reserved_areas", file = "mm/cma.c")
    public int cmaInitReservedAreas() {
        for (CmaArea cma : cmaAreas) {
            int ret = cmaActivateArea(cma);
            if (ret != 0 && !profile.atLeast(KernelProfile.V5_10)) {
                return ret;
            }
        }
        return 0;
    }

    /**
     * cma_activate_area(): allocates the bitmap, checks that the whole area lies in one zone, and frees each
     * pageblock to the buddy allocator as MIGRATE_CMA. On a zone-span failure: [4.4] -EINVAL, count 0; [5.10]
     * pr_err, count 0, the pages stay reserved; [6.1] the pages go to the buddy allocator as ordinary pages,
     * totalcma_pages shrinks, count 0, pr_err.
     */
    @KernelFunction(symbol = "cma_activate_area", file = "mm/cma.c")
    int cmaActivateArea(CmaArea cma) {
        MemMap mm = pa.mm;
        cma.bitmap = new BitSet((int) cma.bitmapMaxno());
        int zone = mm.zoneIdx(cma.basePfn);
        for (long pfn = cma.basePfn + 1; pfn < cma.basePfn + cma.count; pfn++) {
            if (!mm.pfnValid(pfn) || mm.zoneIdx(pfn) != zone) {
                return notInZone(cma);
            }
        }
        for (long pfn = cma.basePfn; pfn < cma.basePfn + cma.count; pfn += pa.pageblockNrPages) {
            pa.free.initCmaReservedPageblock(pfn);
        }
        return 0;
    }

    private int notInZone(CmaArea cma) {
        cma.bitmap = null;
        if (profile.atLeast(KernelProfile.V6_1)) {
            for (long pfn = cma.basePfn; pfn < cma.basePfn + cma.count; pfn++) {
                freeReservedPage(pfn);
            }
            pa.addTotalcmaPages(-cma.count);
        }
        cma.count = 0;
        if (profile.atLeast(KernelProfile.V5_10)) {
            prErr("CMA area " + cma.name + " could not be activated");
        }
        return -Errno.EINVAL;
    }

    /** free_reserved_page(): a reserved page becomes an ordinary managed page. */
    private void freeReservedPage(long pfn) {
        if (!pa.mm.pfnValid(pfn)) {
            return;
        }
        pa.mm.clearFlag(pfn, Page.PG_RESERVED);
        pa.mm.setPageCount(pfn, 1);
        pa.pageZone(pfn).managedPages++;
        pa.free.freePage(pfn);
    }

    /** cma_bitmap_aligned_mask(). */
    static long bitmapAlignedMask(CmaArea cma, int alignOrder) {
        if (alignOrder <= cma.orderPerBit) {
            return 0;
        }
        return (1L << (alignOrder - cma.orderPerBit)) - 1;
    }

    /**
     * cma_bitmap_aligned_offset(): [5.10, 6.1] the offset that makes the absolute pfn aligned; [4.4]
     * {@code (ALIGN(base_pfn, 1 << align_order) - base_pfn) >> order_per_bit}, 0 for align_order <= order_per_bit.
     */
    long bitmapAlignedOffset(CmaArea cma, int alignOrder) {
        if (profile.atLeast(KernelProfile.V5_10)) {
            return (cma.basePfn & ((1L << alignOrder) - 1)) >> cma.orderPerBit;
        }
        if (alignOrder <= cma.orderPerBit) {
            return 0;
        }
        long a = 1L << alignOrder;
        return (((cma.basePfn + a - 1) & -a) - cma.basePfn) >> cma.orderPerBit;
    }

    /** cma_bitmap_pages_to_bits(). */
    static long bitmapPagesToBits(CmaArea cma, long pages) {
        long a = 1L << cma.orderPerBit;
        return ((pages + a - 1) & -a) >> cma.orderPerBit;
    }

    /**
     * bitmap_find_next_zero_area_off() (lib/bitmap.c): first fit from {@code start}, aligned so that
     * {@code index + alignOffset} is a multiple of {@code alignMask + 1}; returns a value >= size when nothing fits.
     */
    @KernelFunction(symbol = "bitmap_find_next_zero_area_off", file = "lib/bitmap.c")
    static long bitmapFindNextZeroAreaOff(BitSet map, long size, long start, long nr, long alignMask,
            long alignOffset) {
        while (true) {
            long index = start >= size ? size : Math.min(map.nextClearBit((int) start), size);
            index = ((index + alignOffset + alignMask) & ~alignMask) - alignOffset;
            long end = index + nr;
            if (end > size) {
                return end;
            }
            int i = map.nextSetBit((int) index);
            if (i >= 0 && i < end) {
                start = i + 1;
                continue;
            }
            return index;
        }
    }

    /** cma_clear_bitmap(): under cma->lock. */
    @KernelFunction(symbol = "cma_clear_bitmap", file = "mm/cma.c")
    void cmaClearBitmap(CmaArea cma, long pfn, long count) {
        int bitmapNo = (int) ((pfn - cma.basePfn) >> cma.orderPerBit);
        int bitmapCount = (int) bitmapPagesToBits(cma, count);
        cma.lock.lock();
        try {
            cma.bitmap.clear(bitmapNo, bitmapNo + bitmapCount);
        } finally {
            cma.lock.unlock();
        }
    }

    /**
     * cma_alloc(): {@code count} contiguous pages aligned to 2^align, first fit. The candidate range is marked in
     * the bitmap before alloc_contig_range() migrates its pages; -EBUSY retries at the next aligned position after
     * the busy one, any other error ends the search. Returns the first page or {@link Page#NULL}, never an errno.
     * Versions: tracepoints ([4.4, 5.10] one cma_alloc at the end; [6.1] start/busy_retry/finish; [6.12] start
     * before the early checks, finish with errorno), [5.10+] the early "larger than the area" return, the failure
     * printk ([5.10] "cma_alloc: alloc failed...", [6.1] with the area name, [6.12] "__cma_alloc"), [6.1] the vm
     * events and sysfs counters.
     */
    @KernelFunction(symbol = "cma_alloc", file = "mm/cma.c")
    public long cmaAlloc(CmaArea cma, long count, int align, boolean noWarn) {
        boolean v61 = profile.atLeast(KernelProfile.V6_1);
        boolean v612 = profile.atLeast(KernelProfile.V6_12);
        long pfn = -1L;
        long start = 0;
        long page = Page.NULL;
        int ret = -Errno.ENOMEM;
        if (v612) {
            trace.traceCmaAllocStart(cma == null ? "(null)" : cma.name, count, align);
        }
        if (cma == null || cma.count == 0 || cma.bitmap == null || count == 0) {
            return cmaAllocOut(cma, page, count);
        }
        if (v61 && !v612) {
            trace.traceCmaAllocStart(cma.name, count, align);
        }
        long mask = bitmapAlignedMask(cma, align);
        long offset = bitmapAlignedOffset(cma, align);
        long bitmapMaxno = cma.bitmapMaxno();
        long bitmapCount = bitmapPagesToBits(cma, count);
        if (profile.atLeast(KernelProfile.V5_10) && bitmapCount > bitmapMaxno) {
            return cmaAllocOut(cma, page, count);
        }
        while (true) {
            long bitmapNo;
            cma.lock.lock();
            try {
                bitmapNo = bitmapFindNextZeroAreaOff(cma.bitmap, bitmapMaxno, start, bitmapCount, mask, offset);
                if (bitmapNo >= bitmapMaxno) {
                    break;
                }
                cma.bitmap.set((int) bitmapNo, (int) (bitmapNo + bitmapCount));
            } finally {
                cma.lock.unlock();
            }
            pfn = cma.basePfn + (bitmapNo << cma.orderPerBit);
            cma.contigAttempts.incrementAndGet();
            cmaMutex.lock();
            try {
                ret = contig.allocContigRange(pfn, pfn + count, MigrateType.MIGRATE_CMA,
                        Gfp.GFP_KERNEL | (noWarn ? Gfp.__GFP_NOWARN : 0));
            } finally {
                cmaMutex.unlock();
            }
            if (ret == 0) {
                page = pfn;
                break;
            }
            cmaClearBitmap(cma, pfn, count);
            if (ret != -Errno.EBUSY) {
                break;
            }
            cma.busyRetries.incrementAndGet();
            if (v61) {
                trace.traceCmaAllocBusyRetry(cma.name, pfn, pfn, count, align);
            }
            start = bitmapNo + mask + 1;
        }
        if (v61) {
            trace.traceCmaAllocFinish(cma.name, pfn, page, count, align, ret);
        } else {
            trace.traceCmaAlloc(pfn, page, count, align);
        }
        if (ret != 0 && !noWarn && profile.atLeast(KernelProfile.V5_10)) {
            printk.log(v61 ? String.format("cma: %s: %s: alloc failed, req-size: %d pages, ret: %d",
                    v612 ? "__cma_alloc" : "cma_alloc", cma.name, count, ret)
                    : String.format("cma: cma_alloc: alloc failed, req-size: %d pages, ret: %d", count, ret));
            // [5.10, 6.1] only with CONFIG_CMA_DEBUG, which the modelled kernels leave off; [6.12] always
            if (v612) {
                cmaDebugShowAreas(cma);
            }
        }
        return cmaAllocOut(cma, page, count);
    }

    /**
     * cma_debug_show_areas(): the free runs of the bitmap as "pages@bit" joined by '+', then the total, one line
     * (pr_info + pr_cont), under cma->lock.
     */
    @KernelFunction(symbol = "cma_debug_show_areas", file = "mm/cma.c", versions = {"6.12"})
    void cmaDebugShowAreas(CmaArea cma) {
        StringBuilder sb = new StringBuilder("cma: number of available pages: ");
        long nbits = cma.bitmapMaxno();
        long nrTotal = 0;
        cma.lock.lock();
        try {
            int start = 0;
            while (true) {
                int nextZeroBit = cma.bitmap.nextClearBit(start);
                if (nextZeroBit >= nbits) {
                    break;
                }
                int set = cma.bitmap.nextSetBit(nextZeroBit);
                long nextSetBit = set < 0 || set > nbits ? nbits : set;
                long nrPart = (nextSetBit - nextZeroBit) << cma.orderPerBit;
                sb.append(nrTotal != 0 ? "+" : "").append(nrPart).append('@').append(nextZeroBit);
                nrTotal += nrPart;
                start = (int) nextSetBit;
            }
        } finally {
            cma.lock.unlock();
        }
        printk.log(sb.append("=> ").append(nrTotal).append(" free of ").append(cma.count).append(" total pages")
                .toString());
    }

    /** The {@code out:} label [6.1]: vm events and sysfs page counters; earlier versions count nothing. */
    private long cmaAllocOut(CmaArea cma, long page, long count) {
        if (profile.atLeast(KernelProfile.V6_1)) {
            if (page != Page.NULL) {
                pa.vmEvents.count(Current.smpProcessorId(), VmEvents.CMA_ALLOC_SUCCESS, 1);
                cma.nrPagesSucceeded.addAndGet(count);
            } else {
                pa.vmEvents.count(Current.smpProcessorId(), VmEvents.CMA_ALLOC_FAIL, 1);
                if (cma != null) {
                    cma.nrPagesFailed.addAndGet(count);
                }
            }
        }
        return page;
    }

    /**
     * cma_release(): false for NULL or pages outside the area ([6.1] cma_pages_valid()); otherwise frees the
     * pages (free_contig_range), then clears the bitmap, then fires cma_release.
     */
    @KernelFunction(symbol = "cma_release", file = "mm/cma.c")
    public boolean cmaRelease(CmaArea cma, long pages, long count) {
        if (cma == null || pages == Page.NULL) {
            return false;
        }
        long pfn = pages;
        if (pfn < cma.basePfn || pfn >= cma.basePfn + cma.count) {
            return false;
        }
        if (pfn + count > cma.basePfn + cma.count) {
            throw new IllegalStateException("VM_BUG_ON: release overruns CMA area " + cma.name);
        }
        pa.free.freeContigRange(pfn, count);
        cmaClearBitmap(cma, pfn, count);
        trace.traceCmaRelease(cma.name, pfn, pages, count);
        return true;
    }
}
