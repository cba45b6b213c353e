package dev.dmatrace.analyzer.render.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.findings.TreeFacts;
import dev.dmatrace.analyzer.render.flame.FrameTree;
import dev.dmatrace.analyzer.render.flame.Outcome;
import dev.dmatrace.analyzer.render.flame.Outcomes;
import dev.dmatrace.analyzer.tree.CallTree;

/**
 * One pass over a recording for every picture of it: the merged frame tree, and each thread's call trees in
 * time order with their outcomes (the timelines, speedscope and trace-event views need the calls themselves,
 * so these are held in memory, unlike the analysis proper).
 */
public final class RecordingViews {
    private final FrameTree frames = new FrameTree();
    private final Outcomes outcomes = new Outcomes();
    private final Map<String, List<TreeOutcome>> byThread = new LinkedHashMap<>();
    private Analyzer.TreeStream stream;

    /** A call tree and the outcome of each of its hops that has one. */
    public record TreeOutcome(CallTree tree, TreeFacts facts, Map<Long, Outcome> outcomes) {
        public Outcome of(long hopId) {
            return outcomes.getOrDefault(hopId, Outcome.SUCCESS);
        }
    }

    public static RecordingViews read(Path file, LongConsumer progress) {
        RecordingViews v = new RecordingViews();
        v.stream = Analyzer.trees(file, v::accept, progress);
        v.byThread.values().forEach(l -> l.sort(Comparator.comparingLong(t -> t.tree().root().startNanos())));
        return v;
    }

    private void accept(CallTree tree) {
        TreeFacts facts = TreeFacts.of(tree);
        Map<Long, Outcome> o = outcomes.of(facts);
        frames.add(tree, o);
        byThread.computeIfAbsent(thread(tree), k -> new ArrayList<>()).add(new TreeOutcome(tree, facts, o));
    }

    /** The thread a tree ran on: its root's, or its first recorded hop's when the root was lost. */
    static String thread(CallTree tree) {
        var n = tree.root();
        while (n.synthetic() && !n.children().isEmpty()) {
            n = n.children().get(0);
        }
        return n.synthetic() ? "?" : n.hop().threadName() + " (" + n.hop().threadId() + ")";
    }

    public FrameTree frames() {
        return frames;
    }

    /** Thread name to its trees, earliest first; threads in the order they first completed a tree. */
    public Map<String, List<TreeOutcome>> byThread() {
        return byThread;
    }

    public Analyzer.TreeStream stream() {
        return stream;
    }
}
