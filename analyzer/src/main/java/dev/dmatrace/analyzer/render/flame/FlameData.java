package dev.dmatrace.analyzer.render.flame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The frame tree as the page's script reads it: a string table and one flat row of numbers per frame in
 * pre-order ({@code depth, label, outcome, subsystem, total ns, self ns, calls, bytes, example}), compact enough
 * for 100 000 frames. Labels and examples are indices into {@code strings}; example -1 means none.
 */
public record FlameData(String title, List<String> strings, List<String> outcomes, List<String> subsystems,
                        long[] frames) {
    public static final int FIELDS = 9;

    public static FlameData of(String title, Frame root) {
        Builder b = new Builder();
        b.walk(root, 0);
        List<String> outcomes = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            outcomes.add(o.name().toLowerCase(java.util.Locale.ROOT));
        }
        List<String> subsystems = new ArrayList<>();
        for (Subsystem s : Subsystem.values()) {
            subsystems.add(s.id());
        }
        return new FlameData(title, b.strings, outcomes, subsystems, b.rows.stream().mapToLong(Long::longValue)
                .toArray());
    }

    private static final class Builder {
        final List<String> strings = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();
        final List<Long> rows = new ArrayList<>();

        void walk(Frame f, int depth) {
            rows.add((long) depth);
            rows.add((long) string(f.label()));
            rows.add((long) f.outcome().ordinal());
            rows.add((long) f.subsystem().ordinal());
            rows.add(f.totalNanos());
            rows.add(f.selfNanos());
            rows.add(f.calls());
            rows.add(f.bytes());
            rows.add(f.example() == null ? -1L : string(f.example()));
            for (Frame c : f.children()) {
                walk(c, depth + 1);
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
