package dev.dmatrace.analyzer.render.flame;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * One frame of the flame graph: every hop reached by the same path of (function, outcome) from the root, merged.
 * Children are kept by label in name order, so every output lists frames the same way whatever the recording's
 * event order.
 */
public final class Frame {
    private final String label;
    private final Outcome outcome;
    private final Subsystem subsystem;
    private final Map<String, Frame> children = new TreeMap<>();
    long totalNanos;
    long selfNanos;
    long calls;
    long bytes;
    /** The arguments of the slowest hop merged here, as "name=value" text; null for the root and devices. */
    String example;
    private long exampleNanos = -1;

    Frame(String symbol, Outcome outcome, Subsystem subsystem) {
        this.outcome = outcome;
        this.subsystem = subsystem;
        this.label = label(symbol, outcome);
    }

    /** The frame name of a call of {@code symbol} that ended so, as every export writes it. */
    public static String label(String symbol, Outcome outcome) {
        // a recording has a few hundred symbols and millions of calls: make each label once
        String[] byOutcome = LABELS.computeIfAbsent(symbol, k -> new String[Outcome.values().length]);
        String l = byOutcome[outcome.ordinal()];
        if (l == null) {
            l = FrameNames.clean(symbol) + outcome.suffix();
            byOutcome[outcome.ordinal()] = l;
        }
        return l;
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, String[]> LABELS =
            new java.util.concurrent.ConcurrentHashMap<>();

    Frame child(String symbol, Outcome outcome, Subsystem subsystem) {
        return children.computeIfAbsent(label(symbol, outcome), k -> new Frame(symbol, outcome, subsystem));
    }

    /** The child with this label, or null. */
    Frame child(String label) {
        return children.get(label);
    }

    void offerExample(long nanos, String args) {
        if (nanos > exampleNanos) {
            exampleNanos = nanos;
            example = args;
        }
    }

    /** The function name with its outcome annotation, safe for a folded line. */
    public String label() {
        return label;
    }

    public Outcome outcome() {
        return outcome;
    }

    public Subsystem subsystem() {
        return subsystem;
    }

    public Collection<Frame> children() {
        return children.values();
    }

    public long totalNanos() {
        return totalNanos;
    }

    public long selfNanos() {
        return selfNanos;
    }

    public long calls() {
        return calls;
    }

    /** Bytes requested by the calls merged here (their size, page count or order argument). */
    public long bytes() {
        return bytes;
    }

    public String example() {
        return example;
    }

    /** This frame and all below it. */
    public int size() {
        int n = 1;
        for (Frame c : children.values()) {
            n += c.size();
        }
        return n;
    }

    public int depth() {
        int d = 0;
        for (Frame c : children.values()) {
            d = Math.max(d, c.depth());
        }
        return d + 1;
    }
}
