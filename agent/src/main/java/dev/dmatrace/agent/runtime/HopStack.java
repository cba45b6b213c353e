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
    private HopEvent[] reusable = new HopEvent[32];
    private int size;
    private long nextId;
    private long idLimit;
    private long emitted;

    private static HopStack register() {
        HopStack stack = new HopStack();
        ALL.add(stack);
        return stack;
    }

    /** The stack of the calling thread. */
    public static HopStack current() {
        return CURRENT.get();
    }

    /**
     * The event a finished hop left at the current depth, or {@code null}. Generated code reuses it when it has
     * its exact type: the woven code merges the event with {@code null}, which JDK 17's C2 cannot scalar-replace,
     * so without this every recorded hop would allocate. Every field is rewritten on reuse ({@code begin()} and
     * {@code end()} reset JFR's timing fields).
     */
    public HopEvent reusable() {
        int depth = size;
        return depth < reusable.length ? reusable[depth] : null;
    }

    /**
     * Keeps a fresh event for the next hop at the current depth. It only ever comes back to this stack, so its
     * {@code stack} reference is set here once rather than on every push (a reference store costs a GC barrier).
     */
    public void keep(HopEvent hop) {
        hop.stack = this;
        int depth = size;
        if (depth >= reusable.length) {
            reusable = Arrays.copyOf(reusable, Math.max(depth + 1, reusable.length * 2));
        }
        reusable[depth] = hop;
    }

    /** Gives the hop its ids and pushes it; the caller then calls {@code begin()} on the exact event type. */
    public void push(HopEvent hop) {
        long id = nextId < idLimit ? nextId++ : refill();
        int depth = size;
        hop.hopId = id;
        hop.depth = depth;
        hop.threw = false;
        if (depth == 0) {
            hop.parentHopId = 0;
            hop.rootHopId = id;
        } else {
            hop.parentHopId = open[depth - 1];
            hop.rootHopId = open[0];
        }
        if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
        }
        open[depth] = id;
        size = depth + 1;
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
