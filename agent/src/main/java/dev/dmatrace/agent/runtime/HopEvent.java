package dev.dmatrace.agent.runtime;

import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/**
 * The fields every hop event carries; the agent generates one concrete subclass per instrumented method
 * (named {@code dmatrace.fn.<symbol>} or {@code dmatrace.tp.<event>}) that adds the arguments and the result.
 * JFR includes superclass fields, so the analyzer reads these by name on every hop type.
 */
public abstract class HopEvent extends Event {

    @HopId
    @Label("Hop ID")
    @Description("Unique within the JVM, > 0")
    public long hopId;

    @HopId
    @Label("Parent Hop ID")
    @Description("The hop that called this one on the same thread; 0 for a root")
    public long parentHopId;

    @HopId
    @Label("Root Hop ID")
    @Description("The outermost traced call on this thread; equals hopId for a root")
    public long rootHopId;

    @Label("Depth")
    @Description("0 for a root")
    public int depth;

    @Label("Threw")
    @Description("The call ended with an exception")
    public boolean threw;

    /** The thread's stack, which keeps this event for reuse; the exit needs no thread-local lookup. Not recorded. */
    transient HopStack stack;
}
