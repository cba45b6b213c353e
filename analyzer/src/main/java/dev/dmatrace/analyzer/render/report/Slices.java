package dev.dmatrace.analyzer.render.report;

import java.util.List;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * Walks one thread's call trees in time order as strictly nested slices, what speedscope's evented profiles and
 * Perfetto's tracks demand: a call is clamped into its caller and after its previous sibling (clocks read at
 * begin and commit can disagree by a few ns), so no two slices on a thread ever overlap. Times are ns from
 * {@code t0}.
 */
final class Slices {
    /** What a walk reports; tracepoints are instants inside the current call. */
    interface Visitor {
        void open(Node n, long start, long end);

        void close(Node n, long end);

        void instant(Node tp, long at);
    }

    private Slices() {}

    static void walk(List<RecordingViews.TreeOutcome> trees, long t0, Visitor v) {
        long after = 0;
        for (RecordingViews.TreeOutcome t : trees) {
            after = walk(t.tree().root(), after, Long.MAX_VALUE, t0, v);
        }
    }

    /** Visits {@code n} inside [lo, hi]; returns where the next sibling may start. */
    private static long walk(Node n, long lo, long hi, long t0, Visitor v) {
        long start = clamp(n.startNanos() - t0, lo, hi);
        if (!n.synthetic() && n.hop().kind() == Hop.Kind.TP) {
            v.instant(n, start);
            return lo;
        }
        long end = clamp(n.startNanos() + n.durationNanos() - t0, start, hi);
        v.open(n, start, end);
        long next = start;
        for (Node c : n.children()) {
            next = walk(c, next, end, t0, v);
        }
        v.close(n, end);
        return end;
    }

    private static long clamp(long x, long lo, long hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    /** The earliest start of any tree, the origin of every exported clock. */
    static long origin(RecordingViews views) {
        long t0 = Long.MAX_VALUE;
        for (List<RecordingViews.TreeOutcome> trees : views.byThread().values()) {
            if (!trees.isEmpty()) {
                t0 = Math.min(t0, trees.get(0).tree().root().startNanos());
            }
        }
        return t0 == Long.MAX_VALUE ? 0 : t0;
    }
}
