package dev.dmatrace.analyzer.render.report;

import java.util.Map;

import dev.dmatrace.analyzer.render.flame.Frame;
import dev.dmatrace.analyzer.render.flame.Outcome;
import dev.dmatrace.analyzer.tree.Node;

/** A call's name in every export: its function with the outcome annotation the flame graph gives it. */
final class Labels {
    private Labels() {}

    static String of(Node n, Map<Long, Outcome> outcomes) {
        return Frame.label(n.symbol(), outcomes.getOrDefault(n.id(), Outcome.SUCCESS));
    }
}
