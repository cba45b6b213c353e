package dev.dmatrace.analyzer.render.flame;

import java.util.Map;

import dev.dmatrace.analyzer.findings.Symbols;
import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.CallTree;
import dev.dmatrace.analyzer.tree.Node;

/**
 * The flame graph of a recording: its call trees merged path by path under one root, each tree under the device
 * its root call names (the driver's view: "what did vpu's allocations cost"). Kernel functions only: tracepoints
 * are events inside a call, not calls, and their story is already in the outcome annotations.
 */
public final class FrameTree {
    private static final int EXAMPLE_CHARS = 160;

    private final Frame root = new Frame("all", Outcome.SUCCESS, Subsystem.OTHER);

    public Frame root() {
        return root;
    }

    /** Merges one tree; {@code outcomes} maps hop ids to their outcome (see {@link Outcomes}). */
    public void add(CallTree tree, Map<Long, Outcome> outcomes) {
        Node top = tree.root();
        Frame under = root;
        String dev = top.synthetic() ? null : top.hop().str(Symbols.DEV);
        if (dev != null) {
            under = root.child(dev, Outcome.SUCCESS, Subsystem.DEVICE);
            under.totalNanos += top.durationNanos();
            under.calls++;
        }
        root.totalNanos += top.durationNanos();
        add(under, top, outcomes);
    }

    private static void add(Frame parent, Node n, Map<Long, Outcome> outcomes) {
        Frame f = parent.child(n.symbol(), outcomes.getOrDefault(n.id(), Outcome.SUCCESS), Subsystem.of(n.symbol()));
        long dur = n.durationNanos();
        long inChildren = 0;
        f.totalNanos += dur;
        f.calls++;
        if (!n.synthetic()) {
            f.bytes += bytesRequested(n.hop());
            f.offerExample(dur, args(n.hop()));
        }
        for (Node c : n.children()) {
            if (c.synthetic() || c.hop().kind() == Hop.Kind.FN) {
                inChildren += c.durationNanos();
                add(f, c, outcomes);
            }
        }
        f.selfNanos += Math.max(0, dur - inChildren);
    }

    /** What a call asked for: a size in bytes, a count of pages, or a buddy order (4 KiB pages). */
    static long bytesRequested(Hop h) {
        long size = h.num(Symbols.SIZE, -1);
        if (size >= 0) {
            return size;
        }
        long count = h.num(Symbols.COUNT, -1);
        if (count >= 0) {
            return count * 4096;
        }
        long order = h.num(Symbols.ORDER, -1);
        return order >= 0 && order < 40 ? 4096L << order : 0;
    }

    private static String args(Hop h) {
        StringBuilder b = new StringBuilder("#").append(h.hopId());
        h.args().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        if (h.threw()) {
            b.append(" threw");
        } else if (h.ret() != null) {
            b.append(" ret=").append(h.ret());
        }
        return b.length() > EXAMPLE_CHARS ? b.substring(0, EXAMPLE_CHARS - 1) + "…" : b.toString();
    }
}
