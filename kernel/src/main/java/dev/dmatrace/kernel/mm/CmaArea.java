package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.KernelValue;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code struct cma} (mm/cma.h): one contiguous area, its allocation bitmap (one bit per 2^order_per_bit pages)
 * and {@code cma->lock}, which guards only the bitmap. The lock is a mutex in 4.4 and 5.10 and a spinlock taken
 * with interrupts off in 6.1; both are a {@link ReentrantLock} here, held only around bitmap updates.
 */
public final class CmaArea {

    final String name;
    final long basePfn;
    long count;
    final int orderPerBit;
    /** NULL until cma_activate_area() allocates it. */
    BitSet bitmap;
    public final ReentrantLock lock = new ReentrantLock();
    /** [6.1] CONFIG_CMA_SYSFS: alloc_pages_success / alloc_pages_fail (pages). */
    final AtomicLong nrPagesSucceeded = new AtomicLong();
    final AtomicLong nrPagesFailed = new AtomicLong();
    /** The port's own work counts (no kernel counterpart), for cost models: alloc_contig_range() calls, -EBUSY retries. */
    final AtomicLong contigAttempts = new AtomicLong();
    final AtomicLong busyRetries = new AtomicLong();

    CmaArea(String name, long basePfn, long count, int orderPerBit) {
        this.name = name;
        this.basePfn = basePfn;
        this.count = count;
        this.orderPerBit = orderPerBit;
    }

    /** cma_get_name(): how the agent captures an area. */
    @KernelValue
    public String name() {
        return name;
    }

    public long basePfn() {
        return basePfn;
    }

    /** Pages in the area (0 after a failed activation). */
    public long count() {
        return count;
    }

    public int orderPerBit() {
        return orderPerBit;
    }

    /** cma_bitmap_maxno(). */
    long bitmapMaxno() {
        return count >> orderPerBit;
    }

    /** [6.1] /sys/kernel/mm/cma/NAME/alloc_pages_success. */
    public long allocPagesSuccess() {
        return nrPagesSucceeded.get();
    }

    /** [6.1] /sys/kernel/mm/cma/NAME/alloc_pages_fail. */
    public long allocPagesFail() {
        return nrPagesFailed.get();
    }

    /** alloc_contig_range() calls cma_alloc() made on this area, on every version. */
    public long contigAttempts() {
        return contigAttempts.get();
    }

    /** Candidate ranges cma_alloc() gave up on with -EBUSY and retried after (what cma_alloc_busy_retry counts in 6.1). */
    public long busyRetries() {
        return busyRetries.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
