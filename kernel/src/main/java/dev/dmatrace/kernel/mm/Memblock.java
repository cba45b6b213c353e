package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.KernelFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * mm/memblock.c, the part boot needs: the memory and reserved ranges, and {@code memblock_free_all()} which hands
 * every unreserved page to the buddy allocator. Reservations (the kernel image, CMA areas, DTS no-map ranges) must
 * be made before {@link #memblockFreeAll}.
 */
public final class Memblock {

    /** A physical range [base, base + size). */
    public record Region(long base, long size) {
        public long end() {
            return base + size;
        }
    }

    private final List<Region> memory = new ArrayList<>();
    private final List<Region> reserved = new ArrayList<>();
    private boolean freed;

    public void memblockAdd(long base, long size) {
        memory.add(new Region(base, size));
    }

    /** memblock_reserve(): keeps [base, base + size) from the buddy allocator. */
    @KernelFunction(symbol = "memblock_reserve", file = "mm/memblock.c")
    public int memblockReserve(long base, long size) {
        if (freed) {
            throw new IllegalStateException("memblock_reserve() after memblock_free_all()");
        }
        reserved.add(new Region(base, size));
        return 0;
    }

    public List<Region> memory() {
        return List.copyOf(memory);
    }

    public List<Region> reserved() {
        return List.copyOf(reserved);
    }

    public boolean isReserved(long phys) {
        for (Region r : reserved) {
            if (phys >= r.base() && phys < r.end()) {
                return true;
            }
        }
        return false;
    }

    /**
     * memblock_free_all() / free_low_memory_core_early(): each free range (memory minus reserved, ascending)
     * goes to __free_pages_memory(). Returns the number of pages freed.
     */
    @KernelFunction(symbol = "memblock_free_all", file = "mm/memblock.c")
    public long memblockFreeAll(PageFree free) {
        freed = true;
        long count = 0;
        List<long[]> ranges = freeRanges();
        for (long[] r : ranges) {
            long start = (r[0] + 4095) >>> 12;
            long end = r[1] >>> 12;
            if (start < end) {
                freePagesMemory(free, start, end);
                count += end - start;
            }
        }
        return count;
    }

    /**
     * memblock_alloc_range_nid(): top-down (memblock's default) the highest, bottom-up the lowest, {@code align}-aligned free
     * range of {@code size} bytes inside [start, end), reserved on success. Returns the base, or 0 when nothing fits.
     */
    @KernelFunction(symbol = "memblock_alloc_range_nid", file = "mm/memblock.c", versions = {"5.10", "6.1"})
    public long memblockAllocRange(long size, long align, long start, long end, boolean bottomUp) {
        List<long[]> ranges = freeRanges();
        for (int k = 0; k < ranges.size(); k++) {
            long[] r = ranges.get(bottomUp ? k : ranges.size() - 1 - k);
            long lo = Math.max(r[0], start);
            long hi = Math.min(r[1], end);
            long base = bottomUp ? (lo + align - 1) & -align : (hi - size) & -align;
            if (hi - lo >= size && base >= lo && base + size <= hi) {
                memblockReserve(base, size);
                return base;
            }
        }
        return 0;
    }

    /** memblock_is_region_reserved(): whether [base, base + size) overlaps a reserved range. */
    public boolean isRegionReserved(long base, long size) {
        for (Region r : reserved) {
            if (base < r.end() && r.base() < base + size) {
                return true;
            }
        }
        return false;
    }

    /** memblock_end_of_DRAM(). */
    public long endOfDram() {
        long end = 0;
        for (Region m : memory) {
            end = Math.max(end, m.end());
        }
        return end;
    }

    /** The unreserved parts of memory, ascending, as [start, end) byte pairs. */
    private List<long[]> freeRanges() {
        List<long[]> out = new ArrayList<>();
        List<Region> mem = new ArrayList<>(memory);
        mem.sort((a, b) -> Long.compare(a.base(), b.base()));
        List<Region> res = new ArrayList<>(reserved);
        res.sort((a, b) -> Long.compare(a.base(), b.base()));
        for (Region m : mem) {
            long cur = m.base();
            for (Region r : res) {
                if (r.end() <= cur || r.base() >= m.end()) {
                    continue;
                }
                if (r.base() > cur) {
                    out.add(new long[] {cur, r.base()});
                }
                cur = Math.max(cur, r.end());
            }
            if (cur < m.end()) {
                out.add(new long[] {cur, m.end()});
            }
        }
        return out;
    }

    /** __free_pages_memory(): the largest naturally aligned blocks (up to MAX_ORDER - 1) that fit, ascending. */
    @KernelFunction(symbol = "__free_pages_memory", file = "mm/memblock.c")
    void freePagesMemory(PageFree free, long start, long end) {
        while (start < end) {
            int order = Math.min(PageAlloc.MAX_ORDER - 1, Long.numberOfTrailingZeros(start));
            while (start + (1L << order) > end) {
                order--;
            }
            free.freePagesCore(start, order);
            start += 1L << order;
        }
    }
}
