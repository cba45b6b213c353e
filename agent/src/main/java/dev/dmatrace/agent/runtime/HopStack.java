package dev.dmatrace.agent.runtime;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open hops of one thread, touched only while a recording runs. Ids come from per-thread blocks so a hop
 * costs no shared atomic; they stay unique within the JVM and small (JFR writes longs as varints).
 */
public final class HopStack {

    private static final int ID_BLOCK = 4096;
    private static final AtomicLong BLOCKS = new AtomicLong();
    private static final Queue<HopStack> ALL = new ConcurrentLinkedQueue<>();
    private static final ThreadLocal<HopStack> CURRENT = ThreadLocal.withInitial(HopStack::register);

    /** Hops counted by stacks whose thread has ended; those stacks are dropped so thread churn leaks nothing. */
    private static long retired;

    private final WeakReference<Thread> owner = new WeakReference<>(Thread.currentThread());
    private long[] open = new long[32];
    private int size;
    private long nextId;
    private long idLimit;
    private long emitted;

    private static HopStack register() {
        HopStack stack = new HopStack();
        ALL.add(stack);
        return stack;
    }

    /** Gives the hop its ids and pushes it; the caller then calls {@code begin()} on the exact event type. */
    public static void enter(HopEvent hop) {
        HopStack s = CURRENT.get();
        hop.stack = s;
        long id = s.nextId < s.idLimit ? s.nextId++ : s.refill();
        int depth = s.size;
        hop.hopId = id;
        hop.depth = depth;
        if (depth == 0) {
            hop.rootHopId = id;
        } else {
            hop.parentHopId = s.open[depth - 1];
            hop.rootHopId = s.open[0];
        }
        if (depth == s.open.length) {
            s.open = Arrays.copyOf(s.open, depth * 2);
        }
        s.open[depth] = id;
        s.size = depth + 1;
    }

    /** Pops back to the hop's own depth, which also heals the stack if an inner exit was ever missed. */
    public static void exit(HopEvent hop) {
        HopStack s = hop.stack;
        if (s != null) {
            s.size = hop.depth;
        }
    }

    public static void committed(HopEvent hop) {
        HopStack s = hop.stack;
        if (s != null) {
            s.emitted++;
        }
    }

    /** Hops committed so far, summed over threads (racy reads of plain counters: good enough for statistics). */
    public static synchronized long emittedTotal() {
        long sum = retired;
        for (Iterator<HopStack> it = ALL.iterator(); it.hasNext(); ) {
            HopStack s = it.next();
            Thread t = s.owner.get();
            sum += s.emitted;
            if (t == null || !t.isAlive()) {
                retired += s.emitted;
                it.remove();
            }
        }
        return sum;
    }

    private long refill() {
        long base = BLOCKS.getAndIncrement() * ID_BLOCK + 1;
        nextId = base + 1;
        idLimit = base + ID_BLOCK;
        return base;
    }
}
