package dev.dmatrace.analyzer.render.flame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The frame tree as the page's script reads it: a string table and one flat row of numbers per frame in
 * pre-order ({@code depth, label, outcome, subsystem, total ns, self ns, calls, bytes, example}), compact enough
 * for 100 000 frames. Labels and examples are indices into {@code strings}; example -1 means none. A differential
 * graph adds {@code baseline}: per frame, the same frame's {@code total ns, self ns, calls, bytes} in the
 * recording before, or -1s for a frame that is new.
 */
public record FlameData(String title, List<String> strings, List<String> outcomes, List<String> subsystems,
                        long[] frames, long[] baseline) {
    public static final int FIELDS = 9;
    public static final int BASELINE_FIELDS = 4;

    public static FlameData of(String title, Frame root) {
        return of(title, root, null);
    }

    /** The graph of {@code after}, each frame compared with its path in {@code before}. */
    public static FlameData diff(String title, Frame before, Frame after) {
        return of(title, after, before);
    }

    private static FlameData of(String title, Frame root, Frame before) {
        Builder b = new Builder(before != null);
        b.walk(root, before, 0);
        List<String> outcomes = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            outcomes.add(o.name().toLowerCase(java.util.Locale.ROOT));
        }
        List<String> subsystems = new ArrayList<>();
        for (Subsystem s : Subsystem.values()) {
            subsystems.add(s.id());
        }
        return new FlameData(title, b.strings, outcomes, subsystems, toArray(b.rows),
                before == null ? null : toArray(b.baseline));
    }

    private static long[] toArray(List<Long> l) {
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    private static final class Builder {
        final List<String> strings = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();
        final List<Long> rows = new ArrayList<>();
        final List<Long> baseline = new ArrayList<>();
        final boolean diff;

        Builder(boolean diff) {
            this.diff = diff;
        }

        /** {@code was} is the frame at the same path before, null when there was none. */
        void walk(Frame f, Frame was, int depth) {
            rows.add((long) depth);
            rows.add((long) string(f.label()));
            rows.add((long) f.outcome().ordinal());
            rows.add((long) f.subsystem().ordinal());
            rows.add(f.totalNanos());
            rows.add(f.selfNanos());
            rows.add(f.calls());
            rows.add(f.bytes());
            rows.add(f.example() == null ? -1L : string(f.example()));
            if (diff) {
                baseline.add(was == null ? -1 : was.totalNanos());
                baseline.add(was == null ? -1 : was.selfNanos());
                baseline.add(was == null ? -1 : was.calls());
                baseline.add(was == null ? -1 : was.bytes());
            }
            for (Frame c : f.children()) {
                walk(c, was == null ? null : was.child(c.label()), depth + 1);
            }
        }

        int string(String s) {
            return index.computeIfAbsent(s, k -> {
                strings.add(k);
                return strings.size() - 1;
            });
        }
    }
}
