package dev.dmatrace.analyzer.tree;

/**
 * One root call with everything it called. {@code complete} is false for a tree rebuilt around a root whose event
 * never arrived: its known hops hang under synthetic nodes.
 */
public record CallTree(Node root, boolean complete, int hops) {

    public long rootId() {
        return root.id();
    }

    public long durationNanos() {
        return root.durationNanos();
    }
}
