package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.KernelValue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code struct per_cpu_pages} of one cpu and zone: count (in pages), high, batch, free_factor (6.1) and the
 * lists, indexed by {@code order_to_pindex(migratetype, order) = MIGRATE_PCPTYPES * order + migratetype}
 * (6.1: orders 0..PAGE_ALLOC_COSTLY_ORDER; 4.4/5.10: one list per pcp migratetype, order 0 only).
 * Owned by its cpu: only code running on that cpu touches it, under the zone's pcp lock.
 */
public final class PerCpuPages {

    /** The cpu that owns this pageset. */
    final int cpu;
    final PageList lists;
    /** pcp->lock [6.1]; stands for local_irq_save() on the owning cpu in 4.4/5.10. */
    final ReentrantLock lock = new ReentrantLock();
    final int nrLists;
    int count;
    int high;
    int batch;
    int freeFactor;

    PerCpuPages(MemMap mm, int cpu, int nrLists) {
        this.cpu = cpu;
        this.lists = new PageList(mm, nrLists);
        this.nrLists = nrLists;
        // BOOT_PAGESET_HIGH / BOOT_PAGESET_BATCH until zone_pcp_update() sets the real values
        this.high = 0;
        this.batch = 1;
    }

    /** The owning cpu: how the agent records a pcp argument. */
    @KernelValue
    public int cpu() {
        return cpu;
    }

    public int count() {
        return count;
    }

    public int high() {
        return high;
    }

    public int batch() {
        return batch;
    }

    static int orderToPindex(int migratetype, int order) {
        return MigrateType.MIGRATE_PCPTYPES * order + migratetype;
    }

    static int pindexToOrder(int pindex) {
        return pindex / MigrateType.MIGRATE_PCPTYPES;
    }
}
