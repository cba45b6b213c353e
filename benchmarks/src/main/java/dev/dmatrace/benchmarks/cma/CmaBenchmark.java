package dev.dmatrace.benchmarks.cma;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.mm.Cma;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageUsers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * cma_alloc + cma_release of 1 MiB and 32 MiB (align 8, as dma_alloc_from_contiguous asks) in a 64 MiB area on
 * the default board (arm64, 6.1, 1 GiB, tracing off), with the area empty or with every other page of it a
 * movable anonymous page (half the area filled, spread so that every range has pages to migrate). The filled
 * state is rebuilt before each invocation, outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CmaBenchmark {

    private static final long AREA_BASE = 0x70000000L;
    private static final long AREA_SIZE = 64L << 20;

    @Param({"1", "32"})
    public int sizeMiB;

    @Param({"false", "true"})
    public boolean halfFilled;

    private Machine m;
    private Cma cma;
    private CmaArea area;
    private long count;
    private final List<Long> contents = new ArrayList<>();

    @Setup(Level.Trial)
    public void boot() {
        m = Machine.create(Boards.VIRT_ARM64);
        area = m.declareCmaArea("reserved", AREA_BASE, AREA_SIZE, 0);
        m.boot();
        cma = m.cma();
        count = (long) sizeMiB << 8;
    }

    @Setup(Level.Invocation)
    public void fill() {
        if (!halfFilled) {
            return;
        }
        PageUsers users = m.pageUsers();
        for (long pfn = AREA_BASE >>> 12; pfn < (AREA_BASE + AREA_SIZE) >>> 12; pfn += 2) {
            if (users.placeAt(pfn, Page.OWNER_ANON)) {
                contents.add(m.memMap().content(pfn));
            }
        }
    }

    @TearDown(Level.Invocation)
    public void unfill() {
        for (long c : contents) {
            m.pageUsers().free(c);
        }
        contents.clear();
    }

    @Benchmark
    public long allocRelease() {
        long page = cma.cmaAlloc(area, count, Cma.CMA_ALIGNMENT, false);
        if (page == Page.NULL || !cma.cmaRelease(area, page, count)) {
            throw new IllegalStateException("cma_alloc failed");
        }
        return page;
    }
}
