package dev.dmatrace.benchmarks.mm;

import dev.dmatrace.kernel.boot.Arch;
import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** Booting a 4 GiB arm64 6.1 machine: memmap, zones, memblock_free_all(), watermarks. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BootBenchmark {

    /** 4 GiB at 0x40000000, 2 cpus, 40 MiB reserved at boot. */
    static final Board ARM64_4G = new Board("arm64-4g", "4 GiB arm64", Arch.ARM64, KernelProfile.V6_1,
            List.of(new Board.Bank(0x40000000L, 4L << 30)), 2, 40L << 20);

    @Benchmark
    public Machine boot4GiB() {
        return Machine.boot(ARM64_4G);
    }
}
