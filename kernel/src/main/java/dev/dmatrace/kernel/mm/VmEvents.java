package dev.dmatrace.kernel.mm;

/**
 * The vm event counters the port keeps (include/linux/vm_event_item.h: PGALLOC_&lt;zone&gt;, PGFREE,
 * PGMIGRATE_SUCCESS/FAIL, [6.1] CMA_ALLOC_SUCCESS/FAIL), per cpu like the kernel's {@code vm_event_states}: each
 * cpu adds to its own slots without atomics ({@code __count_vm_events}), readers sum over cpus
 * ({@code all_vm_events}). Each cpu's slots fill two 64-byte lines.
 */
public final class VmEvents {

    public static final int PGALLOC = 0;
    public static final int PGFREE = Zone.MAX_NR_ZONES;
    public static final int PGMIGRATE_SUCCESS = PGFREE + 1;
    public static final int PGMIGRATE_FAIL = PGFREE + 2;
    public static final int CMA_ALLOC_SUCCESS = PGFREE + 3;
    public static final int CMA_ALLOC_FAIL = PGFREE + 4;
    private static final int STRIDE = 16;

    private final long[] counts;
    private final int cpus;

    VmEvents(int cpus) {
        this.cpus = cpus;
        this.counts = new long[(cpus + 1) * STRIDE];
    }

    /** __count_vm_events(item, delta) on {@code cpu}. */
    void count(int cpu, int item, long delta) {
        counts[(cpu + 1) * STRIDE + item] += delta;
    }

    /** The sum over cpus. */
    public long sum(int item) {
        long s = 0;
        for (int c = 0; c < cpus; c++) {
            s += counts[(c + 1) * STRIDE + item];
        }
        return s;
    }
}
