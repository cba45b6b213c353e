package dev.dmatrace.benchmarks.analyzer;

import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.RecordingAnalysis;

/**
 * End-to-end analysis throughput on one large recording, next to two baselines measured in the same run over the
 * same file: a bare {@code RecordingFile} loop (read every event, touch one field) and {@code jfr print --json}
 * to /dev/null. Each round runs all three; after {@value #WARM_UP} warm-up round(s), which are not counted, the
 * best of {@value #ROUNDS} rounds counts for each, so every row is measured after the JIT has compiled its code.
 * Not JMH: each round is seconds long and end to end, which is what a user waits for. Run with -Xmx256m to check
 * the heap bound (README.md).
 *
 * <pre>java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.dmatrace.benchmarks.analyzer.AnalyzerThroughput
 *     [FILE [HOPS]]</pre>
 */
public final class AnalyzerThroughput {
    private static final int WARM_UP = 1;
    private static final int ROUNDS = 5;

    private AnalyzerThroughput() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "target/analyzer-bench.jfr");
        long hops = args.length > 1 ? Long.parseLong(args[1]) : 1_500_000;
        if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            long n = HopRecordingGenerator.generate(file, hops);
            System.out.printf("generated %d hops, %d MiB in %.1f s: %s%n", n, Files.size(file) >> 20,
                    (System.nanoTime() - t0) / 1e9, file);
        }
        System.out.printf("heap max %d MiB, %d cores; best of %d rounds after %d warm-up, for every row%n",
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(), ROUNDS, WARM_UP);

        long bareBest = Long.MAX_VALUE;
        long analyzeBest = Long.MAX_VALUE;
        long jfrBest = Long.MAX_VALUE;
        long bareCpu = 0;
        long analyzeCpu = 0;
        long analyzeGc = 0;
        long events = 0;
        RecordingAnalysis last = null;
        for (int round = -WARM_UP; round < ROUNDS; round++) {
            boolean counted = round >= 0;
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            events = bareLoop(file);
            long t = System.nanoTime() - t0;
            if (counted && t < bareBest) {
                bareBest = t;
                bareCpu = cpuNanos() - c0;
            }

            long g0 = gcMillis();
            c0 = cpuNanos();
            t0 = System.nanoTime();
            last = Analyzer.analyze(file, b -> { });
            t = System.nanoTime() - t0;
            if (counted && t < analyzeBest) {
                analyzeBest = t;
                analyzeCpu = cpuNanos() - c0;
                analyzeGc = gcMillis() - g0;
            }

            t0 = System.nanoTime();
            jfrPrintJson(file);
            if (counted) {
                jfrBest = Math.min(jfrBest, System.nanoTime() - t0);
            }
        }
        long n = last.recording().hops();
        System.out.printf("hops %d (events %d), trees %d, allocations %d, findings %d%n", n, events, last.trees(),
                last.allocations(), last.findings().size());
        System.out.printf("%-26s %8.2f s %12.0f hops/s  (cpu %.2f s)%n", "RecordingFile bare loop",
                bareBest / 1e9, n / (bareBest / 1e9), bareCpu / 1e9);
        System.out.printf("%-26s %8.2f s %12.0f hops/s  %.2fx bare loop  (cpu %.2f s, gc %.2f s)%n",
                "dmatrace analyze", analyzeBest / 1e9, n / (analyzeBest / 1e9), (double) bareBest / analyzeBest,
                analyzeCpu / 1e9, analyzeGc / 1e3);
        System.out.printf("%-26s %8.2f s %12.0f hops/s  analyze is %.1fx faster%n", "jfr print --json",
                jfrBest / 1e9, n / (jfrBest / 1e9), (double) jfrBest / analyzeBest);
    }

    /** CPU time of this process, all threads (decoding runs beside tree building; the machine may be shared). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Time the collectors report spent, pauses and concurrent work. */
    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static long bareLoop(Path file) throws IOException {
        long n = 0;
        long sink = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                sink += e.getEventType().getId();
                n++;
            }
        }
        if (sink == 42) {
            System.out.print("");
        }
        return n;
    }

    private static void jfrPrintJson(Path file) throws IOException, InterruptedException {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Process p = new ProcessBuilder(jfr.toString(), "print", "--json", file.toString())
                .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (p.waitFor() != 0) {
            throw new IOException("jfr print failed: " + p.exitValue());
        }
    }
}
