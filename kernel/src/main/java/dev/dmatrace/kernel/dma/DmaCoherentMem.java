package dev.dmatrace.kernel.dma;

import java.util.BitSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code struct dma_coherent_mem}: a carve-out handed out page by page through a bitmap. {@code virtBase} is the
 * memremap()ed (write-combining) address, {@code deviceBase} the bus address of the first page. 4.4 keeps the
 * declaration {@code flags} ({@code DMA_MEMORY_EXCLUSIVE}); later versions are always exclusive.
 */
public final class DmaCoherentMem {

    public static final int DMA_MEMORY_MAP = 0x01;
    public static final int DMA_MEMORY_EXCLUSIVE = 0x04;

    final long virtBase;
    final long deviceBase;
    final long pfnBase;
    final int size;
    final int flags;
    final boolean useDevDmaPfnOffset;
    final BitSet bitmap;
    final ReentrantLock spinlock = new ReentrantLock();

    DmaCoherentMem(long virtBase, long deviceBase, long pfnBase, int pages, int flags, boolean useDevDmaPfnOffset) {
        this.virtBase = virtBase;
        this.deviceBase = deviceBase;
        this.pfnBase = pfnBase;
        this.size = pages;
        this.flags = flags;
        this.useDevDmaPfnOffset = useDevDmaPfnOffset;
        this.bitmap = new BitSet(pages);
    }

    public long virtBase() {
        return virtBase;
    }

    public long deviceBase() {
        return deviceBase;
    }

    /** Pages in the pool. */
    public int pages() {
        return size;
    }

    /** Pages handed out. */
    public int pagesUsed() {
        spinlock.lock();
        try {
            return bitmap.cardinality();
        } finally {
            spinlock.unlock();
        }
    }
}
