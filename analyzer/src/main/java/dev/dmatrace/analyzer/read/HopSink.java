package dev.dmatrace.analyzer.read;

import java.util.function.Consumer;

/** Takes hops in file order and learns where each chunk ends (a point where JFR has flushed every thread). */
public interface HopSink extends Consumer<Hop> {
    /** Every event committed before this chunk ended has been delivered. */
    default void chunkEnd() {}
}
