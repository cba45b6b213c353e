package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.dmatrace.analyzer.tree.Node;

/**
 * Runs the detectors over each tree and keeps, per detector, the count of occurrences, the first
 * {@code keep} of them and the first one's tree: bounded memory whatever the recording. Only those occurrences
 * (and, until one has a tree, the next) are built into findings.
 */
public final class FindingsCollector implements Consumer<TreeFacts> {
    private final List<Detector> detectors;
    private final int keep;
    /** Per detector, in the same order. */
    private final Acc[] accs;

    private final class Acc implements Occurrences {
        long count;
        final List<FindingSummary.Occurrence> occurrences = new ArrayList<>();
        Node example;

        @Override
        public void add(Supplier<Finding> finding) {
            count++;
            boolean kept = occurrences.size() < keep;
            if (!kept && example != null) {
                return;
            }
            Finding f = finding.get();
            if (kept) {
                occurrences.add(new FindingSummary.Occurrence(f.message(), f.rootHopId(), f.evidence()));
            }
            if (example == null && f.tree() != null) {
                example = f.tree();
            }
        }
    }

    public FindingsCollector(List<Detector> detectors, int keep) {
        this.detectors = detectors;
        this.keep = keep;
        this.accs = new Acc[detectors.size()];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = new Acc();
        }
    }

    @Override
    public void accept(TreeFacts facts) {
        for (int i = 0; i < accs.length; i++) {
            detectors.get(i).inspect(facts, accs[i]);
        }
    }

    /** Finishes every detector; the summaries of the detectors that found something, most severe first. */
    public List<FindingSummary> finish() {
        for (int i = 0; i < accs.length; i++) {
            detectors.get(i).finish(accs[i]);
        }
        List<FindingSummary> out = new ArrayList<>();
        for (int i = 0; i < accs.length; i++) {
            Detector d = detectors.get(i);
            Acc acc = accs[i];
            if (acc.count > 0) {
                out.add(new FindingSummary(d.id(), d.severity(), d.explanation(), acc.count,
                        List.copyOf(acc.occurrences), acc.example));
            }
        }
        out.sort((a, b) -> b.severity().compareTo(a.severity()));
        return out;
    }
}
