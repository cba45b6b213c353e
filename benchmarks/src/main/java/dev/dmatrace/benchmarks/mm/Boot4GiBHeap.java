package dev.dmatrace.benchmarks.mm;

import dev.dmatrace.kernel.boot.Machine;

/**
 * Harness (not JMH): boots the 4 GiB machine once, then reports the wall time of that boot and the heap the booted
 * machine keeps alive (used heap after GC with and without it).
 * {@code java -cp benchmarks/target/benchmarks.jar dev.dmatrace.benchmarks.mm.Boot4GiBHeap}
 */
public final class Boot4GiBHeap {

    private Boot4GiBHeap() {
    }

    public static void main(String[] args) {
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        Machine m = Machine.boot(BootBenchmark.ARM64_4G);
        long t1 = System.nanoTime();
        long after = usedAfterGc();
        System.out.printf("boot 4 GiB (first, cold JVM): %.1f ms%n", (t1 - t0) / 1e6);
        System.out.printf("heap retained by the booted machine: %.1f MiB (%d pages)%n", (after - before) / 1048576.0,
                m.memMap().nrPages());
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
