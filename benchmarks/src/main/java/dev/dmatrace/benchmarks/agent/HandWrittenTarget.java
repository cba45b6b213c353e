package dev.dmatrace.benchmarks.agent;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The same method with the JFR event a careful person would write by hand: the agent's yardstick. */
public class HandWrittenTarget {

    static final String EVENT = "bench.HandWrittenAllocPages";

    @Name(EVENT)
    @Label("alloc_pages (hand-written)")
    @Category("bench")
    @StackTrace(false)
    static final class AllocPagesEvent extends Event {
        @DataAmount
        long size;
        int order;
        @MemoryAddress
        long ret;
    }

    private long next = 0x1000;

    public long allocPages(long size, int order) {
        AllocPagesEvent e = new AllocPagesEvent();
        e.begin();
        long pfn = next;
        next += (size >>> 12) + order;
        e.end();
        if (e.shouldCommit()) {
            e.size = size;
            e.order = order;
            e.ret = pfn;
            e.commit();
        }
        return pfn;
    }
}
