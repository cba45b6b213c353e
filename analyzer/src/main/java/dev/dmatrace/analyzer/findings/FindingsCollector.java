package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.dmatrace.analyzer.tree.Node;

/**
 * Runs the detectors over each tree and keeps, per detector, the count of occurrences, the first
 * {@code keep} of them and the first one's tree: bounded memory whatever the recording.
 */
public final class FindingsCollector implements Consumer<TreeFacts> {
    private final List<Detector> detectors;
    private final int keep;
    private final Map<String, Acc> byId = new LinkedHashMap<>();

    private static final class Acc {
        long count;
        final List<FindingSummary.Occurrence> occurrences = new ArrayList<>();
        Node example;
    }

    public FindingsCollector(List<Detector> detectors, int keep) {
        this.detectors = detectors;
        this.keep = keep;
        for (Detector d : detectors) {
            byId.put(d.id(), new Acc());
        }
    }

    @Override
    public void accept(TreeFacts facts) {
        for (Detector d : detectors) {
            d.inspect(facts, this::add);
        }
    }

    private void add(Finding f) {
        Acc acc = byId.get(f.id());
        acc.count++;
        if (acc.occurrences.size() < keep) {
            acc.occurrences.add(new FindingSummary.Occurrence(f.message(), f.rootHopId(), f.evidence()));
        }
        if (acc.example == null && f.tree() != null) {
            acc.example = f.tree();
        }
    }

    /** Finishes every detector; the summaries of the detectors that found something, most severe first. */
    public List<FindingSummary> finish() {
        for (Detector d : detectors) {
            d.finish(this::add);
        }
        List<FindingSummary> out = new ArrayList<>();
        for (Detector d : detectors) {
            Acc acc = byId.get(d.id());
            if (acc.count > 0) {
                out.add(new FindingSummary(d.id(), d.severity(), d.explanation(), acc.count,
                        List.copyOf(acc.occurrences), acc.example));
            }
        }
        out.sort((a, b) -> b.severity().compareTo(a.severity()));
        return out;
    }
}
