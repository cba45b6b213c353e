package dev.dmatrace.analyzer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import dev.dmatrace.analyzer.findings.Detectors;
import dev.dmatrace.analyzer.findings.FindingsCollector;
import dev.dmatrace.analyzer.findings.TreeFacts;
import dev.dmatrace.analyzer.findings.Verdicts;
import dev.dmatrace.analyzer.read.ReadSummary;
import dev.dmatrace.analyzer.read.RecordingReader;
import dev.dmatrace.analyzer.tree.CallTree;
import dev.dmatrace.analyzer.tree.TreeAssembler;

/**
 * The pipeline: read (streaming) → tree (per root, released once complete) → findings and verdicts. One
 * recording is read by one thread; several recordings run in parallel across cores.
 */
public final class Analyzer {
    /** Occurrences kept per finding, allocations kept as the worst. */
    public static final int KEEP_OCCURRENCES = 20;
    public static final int KEEP_WORST = 10;

    private Analyzer() {}

    /** Streams every call tree of {@code file} to {@code trees}; the summary says what was read and lost. */
    public static TreeStream trees(Path file, Consumer<CallTree> trees, LongConsumer progress) {
        TreeAssembler assembler = new TreeAssembler(trees);
        ReadSummary read = RecordingReader.read(file, assembler, progress);
        assembler.finish();
        return new TreeStream(read, assembler.completeTrees(), assembler.unfinishedTrees(),
                assembler.unfinishedHops());
    }

    /** What streaming the trees of one recording saw. */
    public record TreeStream(ReadSummary read, long completeTrees, long unfinishedTrees, long unfinishedHops) {}

    public static RecordingAnalysis analyze(Path file, LongConsumer progress) {
        FindingsCollector findings = new FindingsCollector(Detectors.all(), KEEP_OCCURRENCES);
        Verdicts verdicts = new Verdicts(KEEP_WORST);
        TreeStream s = trees(file, t -> {
            TreeFacts facts = TreeFacts.of(t);
            verdicts.accept(facts);
            findings.accept(facts);
        }, progress);
        return new RecordingAnalysis(s.read(), s.completeTrees() + s.unfinishedTrees(), s.unfinishedTrees(),
                s.unfinishedHops(), verdicts.allocations(), verdicts.failed(), verdicts.byWhere(), findings.finish(),
                verdicts.worst());
    }

    /** Analyses the recordings in parallel, one per core at most; results in input order. */
    public static List<RecordingAnalysis> analyzeAll(List<Path> files, Progress progress) {
        int threads = Math.max(1, Math.min(files.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dmatrace-analyze");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RecordingAnalysis>> futures = new ArrayList<>();
            for (Path f : files) {
                futures.add(pool.submit(() -> analyze(f, progress.forFile(f))));
            }
            List<RecordingAnalysis> out = new ArrayList<>();
            for (Future<RecordingAnalysis> fu : futures) {
                out.add(fu.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            progress.done();
        }
    }
}
