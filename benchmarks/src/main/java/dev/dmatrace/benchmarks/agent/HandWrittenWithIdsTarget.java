package dev.dmatrace.benchmarks.agent;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The hand-written event again, now carrying what a hop carries (hop, parent and root ids, depth, threw) from a
 * thread-local stack written by hand: the floor for the information the agent records, so the agent's
 * own mechanics can be told apart from the price of the ids.
 */
public class HandWrittenWithIdsTarget {

    static final String EVENT = "bench.HandWrittenAllocPagesWithIds";

    @Name(EVENT)
    @Label("alloc_pages (hand-written, with hop ids)")
    @Category("bench")
    @StackTrace(false)
    static final class AllocPagesEvent extends Event {
        @DataAmount
        long size;
        int order;
        @MemoryAddress
        long ret;
        long hopId;
        long parentHopId;
        long rootHopId;
        int depth;
        boolean threw;
    }

    /** The simplest per-thread stack: ids and depth, no overflow handling beyond the benchmark's needs. */
    static final class Stack {
        final long[] open = new long[64];
        int size;
        long nextId = 1;
    }

    private static final ThreadLocal<Stack> STACK = ThreadLocal.withInitial(Stack::new);

    private long next = 0x1000;

    public long allocPages(long size, int order) {
        AllocPagesEvent e = new AllocPagesEvent();
        Stack s = STACK.get();
        long id = s.nextId++;
        int depth = s.size;
        s.open[depth] = id;
        s.size = depth + 1;
        e.begin();
        long pfn;
        try {
            pfn = next;
            next += (size >>> 12) + order;
        } finally {
            s.size = depth;
        }
        e.end();
        if (e.shouldCommit()) {
            e.size = size;
            e.order = order;
            e.ret = pfn;
            e.hopId = id;
            e.depth = depth;
            e.parentHopId = depth == 0 ? 0 : s.open[depth - 1];
            e.rootHopId = depth == 0 ? id : s.open[0];
            e.commit();
        }
        return pfn;
    }
}
