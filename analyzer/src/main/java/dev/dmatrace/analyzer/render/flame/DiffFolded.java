package dev.dmatrace.analyzer.render.flame;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two recordings' collapsed stacks side by side, {@code stack before after} per line as FlameGraph's
 * {@code difffolded.pl} writes them, so {@code flamegraph.pl} draws the differential graph; a stack only one of
 * them has gets 0 in the other column.
 */
public final class DiffFolded {
    private DiffFolded() {}

    public static void write(Frame before, Frame after, Weight weight, PrintWriter out) {
        Map<String, Long> a = Folded.stacks(before, weight);
        Map<String, Long> b = Folded.stacks(after, weight);
        Map<String, long[]> both = new TreeMap<>();
        a.forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[0] = v);
        b.forEach((k, v) -> both.computeIfAbsent(k, x -> new long[2])[1] = v);
        both.forEach((k, v) -> out.append(k).append(' ').append(Long.toString(v[0])).append(' ')
                .append(Long.toString(v[1])).append('\n'));
        out.flush();
    }
}
