package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.of.DeviceTree;
import java.util.List;
import java.util.Map;

/**
 * One run, as a scenario file describes it: the board to boot (with its devicetree and command line), the devices,
 * and the workload as ordered steps. {@code file} is the name errors and the output use.
 */
public record Scenario(String file, String name, String description, long seed, Boot boot,
        List<DeviceSpec> devices, List<Step> steps) {

    /** What to boot: the board, an optional devicetree, the command line, CONFIG_DMA_API_DEBUG. */
    public record Boot(Board board, DeviceTree dt, String cmdline, boolean dmaDebug) {
    }

    /**
     * A device: masks (null keeps the kernel's default), coherent or not (null: the arch's default), and the label
     * of a reserved-memory node it names in {@code memory-region} (null: none).
     */
    public record DeviceSpec(String name, Long coherentDmaMask, Long dmaMask, Boolean coherent, String memoryRegion) {
    }

    /** One workload step; {@code line} is where the file wrote it. */
    public sealed interface Step {
        int line();
    }

    /** Memory pressure: {@code pages} user pages of {@code kind}, or as many as leave {@code leaveFreePages} free. */
    public record Fill(int line, String kind, long pages, long leaveFreePages) implements Step {
    }

    /** Pins on {@code count} user pages, long-term or released after {@code releaseAfter} sightings; in a CMA area or anywhere. */
    public record Pin(int line, int count, List<Long> at, boolean longTerm, int releaseAfter, String cmaArea)
            implements Step {
    }

    /** dma_alloc_attrs() on a device, {@code repeat} times; buffers are kept under {@code label}. */
    public record Alloc(int line, String device, long size, long gfp, long attrs, int repeat, String label,
            Expect expect) implements Step {
    }

    /** dma_free_coherent() of every live buffer under {@code label}, with their size or the given (wrong) one. */
    public record Free(int line, String label, Long size) implements Step {
    }

    /** A driver model's probe, io ({@code count} times) or remove on a device (null: the driver passes NULL). */
    public record Driver(int line, String name, String device, String action, int count, Map<String, Long> params,
            Expect expect) implements Step {
    }

    /** Simulated time passing. */
    public record Wait(int line, long nanos) implements Step {
    }

    /** Snapshots of /proc views, printed after the operation table. */
    public record Checkpoint(int line, String label, List<String> views) implements Step {
    }

    /** Several CPUs at once: one real thread per entry, interleaved at DMA API calls by a seeded scheduler. */
    public record Parallel(int line, List<CpuThread> threads) implements Step {
    }

    public record CpuThread(int cpu, String comm, List<Step> ops) {
    }

    /** What an operation is expected to return: success, failure, or anything. */
    public enum Expect { ANY, OK, FAIL }
}
