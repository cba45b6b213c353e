package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.mm.VmEvents;
import dev.dmatrace.kernel.mm.Zone;

/**
 * How long an operation takes on the simulated machine: what the port did during the call, counted from its own
 * counters before and after (pages migrated, alloc_contig_range() attempts, waits on page locks and writeback,
 * pages taken from and given to the buddy allocator), plus the pages the DMA layer zeroes, each at a fixed price.
 * The prices are round figures for a 1 GHz-class arm64 core (docs/scenarios.md); the point is the shape, not the
 * digits.
 */
final class CostModel {

    static final long CALL_NS = 1_000;
    static final long PAGE_ZEROED_NS = 250;
    static final long BUDDY_PAGE_NS = 50;
    static final long PAGE_MIGRATED_NS = 4_000;
    static final long CONTIG_ATTEMPT_NS = 30_000;
    static final long LOCK_WAIT_NS = 1_000_000;

    private CostModel() {
    }

    /** The counters at one instant. */
    record Work(long migrated, long contigAttempts, long busyRetries, long lockWaits, long buddyPages) {

        static Work of(Kernel k) {
            VmEvents ev = k.machine().pageAlloc().vmEvents();
            long buddy = ev.sum(VmEvents.PGFREE);
            for (int z = 0; z < Zone.MAX_NR_ZONES; z++) {
                buddy += ev.sum(VmEvents.PGALLOC + z);
            }
            long attempts = 0;
            long retries = 0;
            for (CmaArea a : k.machine().cma().areas()) {
                attempts += a.contigAttempts();
                retries += a.busyRetries();
            }
            return new Work(ev.sum(VmEvents.PGMIGRATE_SUCCESS), attempts, retries, k.machine().pageUsers().clock(),
                    buddy);
        }

        Work minus(Work before) {
            return new Work(migrated - before.migrated, contigAttempts - before.contigAttempts,
                    busyRetries - before.busyRetries, lockWaits - before.lockWaits, buddyPages - before.buddyPages);
        }
    }

    /** The simulated duration of one DMA API call that did {@code w} and zeroed {@code zeroedPages}. */
    static long nanos(Work w, long zeroedPages) {
        return CALL_NS + zeroedPages * PAGE_ZEROED_NS + w.buddyPages() * BUDDY_PAGE_NS
                + w.migrated() * PAGE_MIGRATED_NS + w.contigAttempts() * CONTIG_ATTEMPT_NS
                + w.lockWaits() * LOCK_WAIT_NS;
    }
}
