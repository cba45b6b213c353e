package dev.dmatrace.analyzer.read;

import java.util.function.Consumer;

/** Takes hops in file order and learns where each chunk ends (a point where JFR has flushed every thread). */
public interface HopSink extends Consumer<Hop> {
    /** Every event committed before this chunk ended has been delivered. */
    default void chunkEnd() {}

    /**
     * Whether this sink takes each chunk's hops grouped by tree rather than in file order: the hops naming one
     * root hop (in file order), then {@link #treeEnd()}, tree after tree in the order their roots were written;
     * the hops whose root is not in the chunk last. Chunks still come in order, each ended by {@link #chunkEnd()}.
     * The reader may deliver in file order all the same (then it never calls {@code treeEnd}).
     */
    default boolean byTree() {
        return false;
    }

    /** By tree: every hop of this chunk naming the root just delivered as its root has been delivered. */
    default void treeEnd() {}
}
