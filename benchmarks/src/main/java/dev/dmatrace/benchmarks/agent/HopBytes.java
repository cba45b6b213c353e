package dev.dmatrace.benchmarks.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/**
 * Average recording bytes per hop: the size of a recording of N calls minus that of an empty one, over the
 * hops in it. Run from the repository root with the agent:
 * {@code java -javaagent:agent/target/dmatrace-agent.jar -cp benchmarks/target/benchmarks.jar dev.dmatrace.benchmarks.agent.HopBytes}
 */
public final class HopBytes {

    private static final int CALLS = 200_000;

    private HopBytes() {
    }

    public static void main(String[] args) throws IOException {
        AllocTarget alloc = new AllocTarget();
        DmaPath path = new DmaPath();
        DmaPath.Device dev = new DmaPath.Device("soc:dma-controller@f8000000");
        Path dir = Files.createTempDirectory("hopbytes");
        long empty = record(dir.resolve("empty.jfr"), () -> { });
        report("bench_alloc_pages (2 args + ret, root)", dir.resolve("flat.jfr"), empty, () -> {
            for (int i = 0; i < CALLS; i++) {
                alloc.allocPages(8192, 1);
            }
        });
        report("dma_alloc_attrs tree (4 hops: device, gfp text, tracepoint)", dir.resolve("tree.jfr"), empty, () -> {
            for (int i = 0; i < CALLS / 4; i++) {
                path.dmaAllocAttrs(dev, 4096L << (i & 3), DmaPath.Gfp.GFP_KERNEL | (i & 1) * DmaPath.Gfp.NOWARN, 0);
            }
        });
    }

    private static void report(String what, Path file, long empty, Runnable calls) throws IOException {
        long size = record(file, calls);
        long hops = RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().startsWith("dmatrace.fn.")
                || e.getEventType().getName().startsWith("dmatrace.tp.")).count();
        System.out.printf("%-62s %8d hops  %6.1f bytes/hop%n", what, hops, (size - empty) / (double) Math.max(1, hops));
    }

    private static long record(Path file, Runnable calls) throws IOException {
        try (Recording r = new Recording()) {
            r.enable("dmatrace.fn.bench_alloc_pages");
            r.start();
            calls.run();
            r.stop();
            r.dump(file);
        }
        return Files.size(file);
    }
}
