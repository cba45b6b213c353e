package dev.dmatrace.analyzer.render.flame;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collapsed stacks, one {@code frame;frame;frame value} line per path with a value, root first (leaf first for
 * {@link Weight#SELF}): Brendan Gregg's format, read by {@code flamegraph.pl}, speedscope and async-profiler's
 * converter. A line's value is what that path adds beyond its children, so a frame's width is the sum below it.
 */
public final class Folded {
    private Folded() {}

    public static void write(Frame root, Weight weight, PrintWriter out) {
        stacks(root, weight).forEach((stack, v) -> out.append(stack).append(' ').append(Long.toString(v)).append('\n'));
        out.flush();
    }

    /** Each path with a value and its value, in the frame tree's order. */
    public static Map<String, Long> stacks(Frame root, Weight weight) {
        Map<String, Long> out = new LinkedHashMap<>();
        Deque<String> path = new ArrayDeque<>();
        for (Frame c : root.children()) {
            walk(c, weight, path, out);
        }
        return out;
    }

    private static void walk(Frame f, Weight weight, Deque<String> path, Map<String, Long> out) {
        path.addLast(f.label());
        long v = value(f, weight);
        if (v > 0) {
            List<String> frames = new ArrayList<>(path);
            if (weight == Weight.SELF) {
                Collections.reverse(frames);
            }
            out.merge(String.join(";", frames), v, Long::sum);
        }
        for (Frame c : f.children()) {
            walk(c, weight, path, out);
        }
        path.removeLast();
    }

    /** What the path ending at {@code f} adds beyond its children. */
    static long value(Frame f, Weight weight) {
        return switch (weight) {
            case TOTAL, SELF -> f.selfNanos();
            case CALLS -> f.subsystem() == Subsystem.DEVICE ? 0 : f.calls();
            case BYTES -> Math.max(0, bytesWidth(f) - childrenBytes(f));
        };
    }

    /** A frame is at least as wide as what it asked for and as all its callees together. */
    static long bytesWidth(Frame f) {
        return Math.max(f.bytes(), childrenBytes(f));
    }

    private static long childrenBytes(Frame f) {
        long sum = 0;
        for (Frame c : f.children()) {
            sum += bytesWidth(c);
        }
        return sum;
    }
}
