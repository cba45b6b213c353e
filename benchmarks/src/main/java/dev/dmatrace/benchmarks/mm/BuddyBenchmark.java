package dev.dmatrace.benchmarks.mm;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.PageAlloc;
import dev.dmatrace.kernel.mm.PageFree;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The buddy allocator's hot paths on the default board (arm64, 6.1, 1 GiB, tracing off): an order-0
 * alloc+free pair (served by the pcp lists) and an order-9 pair (zone->lock, split on alloc, merge on free).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BuddyBenchmark {

    private PageAlloc pa;
    private PageFree free;

    @Setup
    public void boot() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        pa = m.pageAlloc();
        free = pa.free();
    }

    @Benchmark
    public long order0AllocFree() {
        long page = pa.allocPages(Gfp.GFP_KERNEL, 0);
        free.freePages(page, 0);
        return page;
    }

    @Benchmark
    public long order9AllocFree() {
        long page = pa.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 9);
        free.freePages(page, 9);
        return page;
    }
}
