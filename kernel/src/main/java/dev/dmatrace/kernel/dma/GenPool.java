package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.KernelFunction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * lib/genalloc.c with the {@code gen_pool_first_fit_order_align} algorithm the atomic pools use: one bit per
 * 2^minAllocOrder bytes, a request of n units aligned to roundup_pow_of_two(n) units inside its chunk. New
 * chunks go to the head of the chunk list (list_add_rcu), so the newest chunk is searched first.
 */
public final class GenPool {

    private static final class Chunk {
        final long startAddr;
        final long physAddr;
        final long endAddr;
        final BitSet bits;

        Chunk(long startAddr, long physAddr, long size) {
            this.startAddr = startAddr;
            this.physAddr = physAddr;
            this.endAddr = startAddr + size - 1;
            this.bits = new BitSet();
        }

        long units(int order) {
            return (endAddr - startAddr + 1) >>> order;
        }
    }

    private final int minAllocOrder;
    private final List<Chunk> chunks = new ArrayList<>();

    /** gen_pool_create(min_alloc_order, nid). */
    @KernelFunction(symbol = "gen_pool_create", file = "lib/genalloc.c")
    public GenPool(int minAllocOrder) {
        this.minAllocOrder = minAllocOrder;
    }

    /** gen_pool_add_virt(): a chunk of {@code size} bytes at {@code virt}, backed by {@code phys}. */
    @KernelFunction(symbol = "gen_pool_add_owner", file = "lib/genalloc.c")
    public synchronized int addVirt(long virt, long phys, long size) {
        chunks.add(0, new Chunk(virt, phys, size));
        return 0;
    }

    /** gen_pool_alloc(): the address of {@code size} bytes, 0 when no chunk has room. */
    @KernelFunction(symbol = "gen_pool_alloc_algo_owner", file = "lib/genalloc.c")
    public synchronized long alloc(long size) {
        if (size == 0) {
            return 0;
        }
        long nbits = (size + (1L << minAllocOrder) - 1) >>> minAllocOrder;
        for (Chunk c : chunks) {
            long units = c.units(minAllocOrder);
            long start = firstFitOrderAlign(c.bits, units, nbits);
            if (start >= units) {
                continue;
            }
            c.bits.set((int) start, (int) (start + nbits));
            return c.startAddr + (start << minAllocOrder);
        }
        return 0;
    }

    /** gen_pool_first_fit_order_align(): first fit with the run aligned to roundup_pow_of_two(nr) units. */
    @KernelFunction(symbol = "gen_pool_first_fit_order_align", file = "lib/genalloc.c")
    static long firstFitOrderAlign(BitSet map, long size, long nr) {
        long alignMask = Long.highestOneBit(nr) == nr ? nr - 1 : (Long.highestOneBit(nr) << 1) - 1;
        long index = 0;
        while (true) {
            index = (Math.min(map.nextClearBit((int) index), size) + alignMask) & ~alignMask;
            if (index + nr > size) {
                return size;
            }
            int used = map.nextSetBit((int) index);
            if (used < 0 || used >= index + nr) {
                return index;
            }
            index = used + 1;
        }
    }

    /** gen_pool_free(): gives back {@code size} bytes at {@code addr}; false (a kernel BUG) outside every chunk. */
    @KernelFunction(symbol = "gen_pool_free_owner", file = "lib/genalloc.c")
    public synchronized boolean free(long addr, long size) {
        long nbits = (size + (1L << minAllocOrder) - 1) >>> minAllocOrder;
        for (Chunk c : chunks) {
            if (addr >= c.startAddr && addr <= c.endAddr) {
                int start = (int) ((addr - c.startAddr) >>> minAllocOrder);
                c.bits.clear(start, (int) (start + nbits));
                return true;
            }
        }
        return false;
    }

    /** gen_pool_has_addr() (addr_in_gen_pool in 5.10): [start, start + size) lies inside one chunk. */
    @KernelFunction(symbol = "gen_pool_has_addr", file = "lib/genalloc.c")
    public synchronized boolean hasAddr(long start, long size) {
        long end = start + size - 1;
        for (Chunk c : chunks) {
            if (start >= c.startAddr && end <= c.endAddr) {
                return true;
            }
        }
        return false;
    }

    /** gen_pool_virt_to_phys(); -1 when the address is not in the pool. */
    @KernelFunction(symbol = "gen_pool_virt_to_phys", file = "lib/genalloc.c")
    public synchronized long virtToPhys(long addr) {
        for (Chunk c : chunks) {
            if (addr >= c.startAddr && addr <= c.endAddr) {
                return c.physAddr + (addr - c.startAddr);
            }
        }
        return -1;
    }

    /** gen_pool_avail(): free bytes. */
    public synchronized long avail() {
        long free = 0;
        for (Chunk c : chunks) {
            free += (c.units(minAllocOrder) - c.bits.cardinality()) << minAllocOrder;
        }
        return free;
    }

    /** gen_pool_size(): total bytes. */
    public synchronized long size() {
        long total = 0;
        for (Chunk c : chunks) {
            total += c.endAddr - c.startAddr + 1;
        }
        return total;
    }
}
