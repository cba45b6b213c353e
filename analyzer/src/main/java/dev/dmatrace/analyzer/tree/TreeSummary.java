package dev.dmatrace.analyzer.tree;

import dev.dmatrace.analyzer.read.Hop;

/**
 * A tree in one line: its root call, the device and size of the first call below that names them, how long it
 * took and what it returned ("threw", or "unfinished" when the root never returned).
 */
public record TreeSummary(long rootHopId, String rootSymbol, String thread, String device, Long size,
                          long durationNanos, String result, int hops, boolean complete) {

    public static TreeSummary of(CallTree t) {
        Node root = t.root();
        String[] device = {null};
        Long[] size = {null};
        String[] thread = {null};
        root.walk(n -> {
            if (n.synthetic()) {
                return;
            }
            Hop h = n.hop();
            if (thread[0] == null) {
                thread[0] = h.threadName();
            }
            if (device[0] == null && h.arg("dev") instanceof String d) {
                device[0] = d;
            }
            if (size[0] == null && h.arg("size") instanceof Number s) {
                size[0] = s.longValue();
            }
        });
        return new TreeSummary(t.rootId(), root.symbol(), thread[0], device[0], size[0], t.durationNanos(),
                result(root), t.hops(), t.complete());
    }

    static String result(Node n) {
        Hop h = n.hop();
        if (h == null) {
            return "unfinished";
        }
        if (h.threw()) {
            return "threw";
        }
        Object r = h.ret();
        if (r == null) {
            return "void";
        }
        if (r instanceof Long || r instanceof Integer) {
            long v = ((Number) r).longValue();
            return v < 0 && v >= -4095 ? Long.toString(v) : String.format("0x%x", v);
        }
        return r.toString();
    }
}
