package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.KernelFunction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The boot-time memory map of mm/memblock.c: the {@code memory} regions (RAM banks, some marked
 * {@code MEMBLOCK_NOMAP}) and the {@code reserved} regions, with the range search every early allocator uses
 * (top-down unless {@code memblock_set_bottom_up(true)}), and {@code memblock_free_all()} which hands every free
 * page to the buddy allocator; no reservation may follow it. Addresses are {@code long}; {@link #ALLOC_ANYWHERE} stands for {@code MEMBLOCK_ALLOC_ANYWHERE} (~0) since
 * simulated memory stays far below 2^63.
 */
public final class Memblock {

    public static final long ALLOC_ANYWHERE = Long.MAX_VALUE;
    /** {@code MEMBLOCK_ALLOC_ACCESSIBLE}: "up to the current limit". */
    public static final long ALLOC_ACCESSIBLE = 0;
    public static final long PAGE_SIZE = 4096;
    /** {@code SMP_CACHE_BYTES} (L1 line) on the arm, arm64 and x86-64 configurations modelled. */
    public static final long SMP_CACHE_BYTES = 64;

    /** One {@code struct memblock_region}; {@code nomap} is {@code MEMBLOCK_NOMAP} (4.5+). */
    public record Region(long base, long size, boolean nomap) {
        public long end() {
            return base + size;
        }

        @Override
        public String toString() {
            return String.format("[%#x-%#x]%s", base, end() - 1, nomap ? " nomap" : "");
        }
    }

    private final List<Region> memory = new ArrayList<>();
    private final List<Region> reserved = new ArrayList<>();
    private long currentLimit = ALLOC_ANYWHERE;
    private boolean bottomUp;
    private boolean freed;

    public List<Region> memory() {
        return List.copyOf(memory);
    }

    public List<Region> reserved() {
        return List.copyOf(reserved);
    }

    public void setCurrentLimit(long limit) {
        this.currentLimit = limit;
    }

    /** {@code memblock_set_bottom_up()}: 5.10/6.1 cma_declare_contiguous_nid() searches above 4 GiB bottom-up. */
    public void setBottomUp(boolean enable) {
        this.bottomUp = enable;
    }

    public boolean bottomUp() {
        return bottomUp;
    }

    @KernelFunction(symbol = "memblock_add", file = "mm/memblock.c")
    public int add(long base, long size) {
        addRange(memory, base, size);
        return 0;
    }

    @KernelFunction(symbol = "memblock_remove", file = "mm/memblock.c")
    public int remove(long base, long size) {
        removeRange(memory, base, size);
        return 0;
    }

    @KernelFunction(symbol = "memblock_reserve", file = "mm/memblock.c")
    public int reserve(long base, long size) {
        if (freed) {
            throw new IllegalStateException("memblock_reserve() after memblock_free_all()");
        }
        addRange(reserved, base, size);
        return 0;
    }

    /** {@code memblock_free} in 4.4/5.10, renamed {@code memblock_phys_free} in 6.1: drop a reservation. */
    @KernelFunction(symbol = "memblock_phys_free", file = "mm/memblock.c")
    public int physFree(long base, long size) {
        removeRange(reserved, base, size);
        return 0;
    }

    @KernelFunction(symbol = "memblock_mark_nomap", file = "mm/memblock.c", versions = {"5.10", "6.1"})
    public int markNomap(long base, long size) {
        setNomap(base, size, true);
        return 0;
    }

    @KernelFunction(symbol = "memblock_clear_nomap", file = "mm/memblock.c", versions = {"5.10", "6.1"})
    public int clearNomap(long base, long size) {
        setNomap(base, size, false);
        return 0;
    }

    @KernelFunction(symbol = "memblock_is_region_reserved", file = "mm/memblock.c")
    public boolean isRegionReserved(long base, long size) {
        return overlaps(reserved, base, size);
    }

    /** {@code memblock_overlaps_region(&memblock.memory, base, size)}. */
    @KernelFunction(symbol = "memblock_overlaps_region", file = "mm/memblock.c")
    public boolean overlapsMemory(long base, long size) {
        return overlaps(memory, base, size);
    }

    @KernelFunction(symbol = "memblock_phys_mem_size", file = "mm/memblock.c")
    public long physMemSize() {
        return memory.stream().mapToLong(Region::size).sum();
    }

    @KernelFunction(symbol = "memblock_start_of_DRAM", file = "mm/memblock.c")
    public long startOfDram() {
        return memory.isEmpty() ? 0 : memory.get(0).base();
    }

    @KernelFunction(symbol = "memblock_end_of_DRAM", file = "mm/memblock.c")
    public long endOfDram() {
        return memory.isEmpty() ? 0 : memory.get(memory.size() - 1).end();
    }

    /**
     * Search of the free ranges (memory that is neither nomap nor reserved) for {@code size} bytes at
     * {@code align} inside [start, end), top-down or bottom-up; 0 when nothing fits. The first page is never returned.
     */
    @KernelFunction(symbol = "memblock_find_in_range_node", file = "mm/memblock.c")
    public long findInRangeNode(long size, long align, long start, long end) {
        if (end == ALLOC_ACCESSIBLE) {
            end = currentLimit;
        }
        start = Math.max(start, PAGE_SIZE);
        end = Math.max(start, end);
        return bottomUp ? findRangeBottomUp(start, end, size, align) : findRangeTopDown(start, end, size, align);
    }

    @KernelFunction(symbol = "__memblock_find_range_bottom_up", file = "mm/memblock.c", versions = {"5.10", "6.1"})
    private long findRangeBottomUp(long start, long end, long size, long align) {
        for (long[] r : freeRanges()) {
            long thisStart = clamp(r[0], start, end);
            long thisEnd = clamp(r[1], start, end);
            long cand = roundUp(thisStart, align);
            if (cand < thisEnd && thisEnd - cand >= size) {
                return cand;
            }
        }
        return 0;
    }

    @KernelFunction(symbol = "__memblock_find_range_top_down", file = "mm/memblock.c")
    private long findRangeTopDown(long start, long end, long size, long align) {
        List<long[]> free = freeRanges();
        for (int i = free.size() - 1; i >= 0; i--) {
            long thisStart = clamp(free.get(i)[0], start, end);
            long thisEnd = clamp(free.get(i)[1], start, end);
            if (thisEnd < size) {
                continue;
            }
            long cand = roundDown(thisEnd - size, align);
            if (cand >= thisStart) {
                return cand;
            }
        }
        return 0;
    }

    /** 5.10 {@code memblock_find_in_range(start, end, size, align)}: search only, nothing reserved. */
    @KernelFunction(symbol = "memblock_find_in_range", file = "mm/memblock.c", versions = {"4.4", "5.10"})
    public long findInRange(long start, long end, long size, long align) {
        return findInRangeNode(size, align, start, end);
    }

    /** Search and reserve; a zero {@code align} becomes {@code SMP_CACHE_BYTES}. Returns 0 on failure. */
    @KernelFunction(symbol = "memblock_alloc_range_nid", file = "mm/memblock.c")
    public long allocRangeNid(long size, long align, long start, long end) {
        if (align == 0) {
            align = SMP_CACHE_BYTES;
        }
        long found = findInRangeNode(size, align, start, end);
        if (found != 0 && reserve(found, size) == 0) {
            return found;
        }
        return 0;
    }

    @KernelFunction(symbol = "memblock_phys_alloc_range", file = "mm/memblock.c", versions = {"5.10", "6.1"})
    public long physAllocRange(long size, long align, long start, long end) {
        return allocRangeNid(size, align, start, end);
    }

    /** 4.4's {@code __memblock_alloc_base(size, align, max_addr)}: top-down below {@code maxAddr}, 0 on failure. */
    @KernelFunction(symbol = "__memblock_alloc_base", file = "mm/memblock.c", versions = {"4.4"})
    public long allocBase(long size, long align, long maxAddr) {
        return allocRangeNid(size, align, 0, maxAddr);
    }

    /** arm64 {@code mem=}: keep the first {@code limit} bytes of memory, drop the rest of memory and reserved. */
    @KernelFunction(symbol = "memblock_enforce_memory_limit", file = "mm/memblock.c")
    public void enforceMemoryLimit(long limit) {
        if (limit == 0) {
            return;
        }
        long maxAddr = ALLOC_ANYWHERE;
        for (Region r : memory) {
            if (limit <= r.size()) {
                maxAddr = r.base() + limit;
                break;
            }
            limit -= r.size();
        }
        if (maxAddr == ALLOC_ANYWHERE) {
            return;
        }
        removeRange(memory, maxAddr, ALLOC_ANYWHERE - maxAddr);
        removeRange(reserved, maxAddr, ALLOC_ANYWHERE - maxAddr);
    }

    /**
     * memblock_free_all() / free_low_memory_core_early(): each free range (memory minus nomap and reserved,
     * ascending) goes to __free_pages_memory(). Returns the number of pages freed.
     */
    @KernelFunction(symbol = "memblock_free_all", file = "mm/memblock.c")
    public long freeAll(PageFree free) {
        freed = true;
        long count = 0;
        for (long[] r : freeRanges()) {
            long start = (r[0] + PAGE_SIZE - 1) >>> 12;
            long end = r[1] >>> 12;
            if (start < end) {
                freePagesMemory(free, start, end);
                count += end - start;
            }
        }
        return count;
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

    /** The memory that is neither nomap nor reserved, ascending, as [start, end) byte pairs. */
    private List<long[]> freeRanges() {
        List<long[]> out = new ArrayList<>();
        for (Region m : memory) {
            if (m.nomap()) {
                continue;
            }
            long cursor = m.base();
            for (Region r : reserved) {
                if (r.end() <= cursor || r.base() >= m.end()) {
                    continue;
                }
                if (r.base() > cursor) {
                    out.add(new long[] {cursor, r.base()});
                }
                cursor = Math.max(cursor, r.end());
            }
            if (cursor < m.end()) {
                out.add(new long[] {cursor, m.end()});
            }
        }
        return out;
    }

    /** {@code memblock_add_range}: only the parts not yet covered are inserted, then neighbours merge. */
    private static void addRange(List<Region> type, long base, long size) {
        if (size <= 0) {
            return;
        }
        long end = base + size;
        long cursor = base;
        List<Region> added = new ArrayList<>();
        for (Region r : type) {
            if (r.end() <= cursor || r.base() >= end) {
                continue;
            }
            if (r.base() > cursor) {
                added.add(new Region(cursor, r.base() - cursor, false));
            }
            cursor = Math.max(cursor, r.end());
        }
        if (cursor < end) {
            added.add(new Region(cursor, end - cursor, false));
        }
        type.addAll(added);
        merge(type);
    }

    /** {@code memblock_remove_range}: isolate [base, base+size) and drop it. */
    private static void removeRange(List<Region> type, long base, long size) {
        long end = base + size;
        List<Region> out = new ArrayList<>();
        for (Region r : type) {
            if (r.end() <= base || r.base() >= end) {
                out.add(r);
                continue;
            }
            if (r.base() < base) {
                out.add(new Region(r.base(), base - r.base(), r.nomap()));
            }
            if (r.end() > end) {
                out.add(new Region(end, r.end() - end, r.nomap()));
            }
        }
        type.clear();
        type.addAll(out);
        merge(type);
    }

    /** {@code memblock_setclr_flag(base, size, set, MEMBLOCK_NOMAP)} on the memory regions it covers. */
    private void setNomap(long base, long size, boolean nomap) {
        long end = base + size;
        List<Region> out = new ArrayList<>();
        for (Region r : memory) {
            if (r.end() <= base || r.base() >= end) {
                out.add(r);
                continue;
            }
            long s = Math.max(r.base(), base);
            long e = Math.min(r.end(), end);
            if (r.base() < s) {
                out.add(new Region(r.base(), s - r.base(), r.nomap()));
            }
            out.add(new Region(s, e - s, nomap));
            if (r.end() > e) {
                out.add(new Region(e, r.end() - e, r.nomap()));
            }
        }
        memory.clear();
        memory.addAll(out);
        merge(memory);
    }

    /** {@code memblock_merge_regions}: adjacent regions with the same flags become one. */
    private static void merge(List<Region> type) {
        type.sort(Comparator.comparingLong(Region::base));
        for (int i = 0; i + 1 < type.size(); ) {
            Region a = type.get(i);
            Region b = type.get(i + 1);
            if (a.end() == b.base() && a.nomap() == b.nomap()) {
                type.set(i, new Region(a.base(), a.size() + b.size(), a.nomap()));
                type.remove(i + 1);
            } else {
                i++;
            }
        }
    }

    private static boolean overlaps(List<Region> type, long base, long size) {
        return type.stream().anyMatch(r -> base < r.end() && r.base() < base + size);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.min(Math.max(v, lo), hi);
    }

    private static long roundUp(long v, long align) {
        return (v + align - 1) & ~(align - 1);
    }

    /** The kernel's {@code round_down}: a mask, so a non-power-of-two alignment behaves as it does in C. */
    private static long roundDown(long v, long align) {
        return v & ~(align - 1);
    }

    @Override
    public String toString() {
        return "memory " + memory + " reserved " + reserved;
    }
}
