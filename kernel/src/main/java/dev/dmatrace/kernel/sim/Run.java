package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.drivers.models.DriverModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one simulation as it runs: the booted kernel, the operation table so far, each CPU's simulated
 * clock, the live buffers (by label, and by CPU address for driver models' frees) and the probed drivers.
 * Threads of a parallel step touch it one at a time (the baton), so it needs no locks of its own.
 */
final class Run {

    /** A buffer dma_alloc_coherent() returned, and where it came from. */
    record Buffer(Device dev, long size, long cpuAddr, long dmaHandle, String from, String who) {
    }

    private final Kernel kernel;
    private final List<Row> rows = new ArrayList<>();
    private final long[] clocks;
    private final Map<String, List<Buffer>> byLabel = new HashMap<>();
    private final Map<Long, Buffer> byCpuAddr = new HashMap<>();
    private final Map<String, DriverModel> drivers = new LinkedHashMap<>();

    Run(Kernel kernel) {
        this.kernel = kernel;
        this.clocks = new long[kernel.machine().board().cpus()];
    }

    Kernel kernel() {
        return kernel;
    }

    synchronized void add(Row r) {
        rows.add(new Row(rows.size() + 1, r.cpu(), r.task(), r.device(), r.op(), r.buffer(), r.size(), r.gfp(),
                r.from(), r.dma(), r.migrated(), r.retries(), r.startNs(), r.tookNs(), r.result(), r.unexpected()));
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    synchronized long clock(int cpu) {
        return clocks[cpu];
    }

    synchronized void advance(int cpu, long ns) {
        clocks[cpu] += ns;
    }

    /** Every CPU's clock moves to the latest one (a sequential step starts when the last CPU is done). */
    synchronized long sync() {
        long max = 0;
        for (long c : clocks) {
            max = Math.max(max, c);
        }
        java.util.Arrays.fill(clocks, max);
        return max;
    }

    synchronized void live(Buffer b) {
        byLabel.computeIfAbsent(b.who(), k -> new ArrayList<>()).add(b);
        byCpuAddr.put(b.cpuAddr(), b);
    }

    synchronized void dead(Buffer b) {
        List<Buffer> l = byLabel.get(b.who());
        if (l != null) {
            l.removeIf(x -> x.cpuAddr() == b.cpuAddr());
        }
        byCpuAddr.remove(b.cpuAddr());
    }

    synchronized Buffer liveAt(long cpuAddr) {
        return byCpuAddr.get(cpuAddr);
    }

    /** The live buffers under a label, oldest first. */
    synchronized List<Buffer> labelled(String label) {
        return List.copyOf(byLabel.getOrDefault(label, List.of()));
    }

    synchronized Map<String, DriverModel> drivers() {
        return drivers;
    }
}
