package dev.dmatrace.analyzer.read;

import java.util.Map;
import java.util.Objects;

/**
 * One kernel-function call (or one tracepoint firing) as the agent recorded it: the compact model every later
 * stage works on. The arguments keep the recording's field order; {@code ret} is null when the function is void.
 * {@code symbolId} is the symbol's {@link SymbolIds} id, resolved once per event type by the decoder.
 *
 * <p>Not a record: a hop holds its argument values in a flat array next to the names array its event type
 * shares, and {@link #args()} makes the map view only when asked, so a million hops cost no map each.
 */
public final class Hop {
    /** A kernel function ({@code dmatrace.fn.*}) or a tracepoint ({@code dmatrace.tp.*}). */
    public enum Kind { FN, TP }

    private final long hopId;
    private final long parentHopId;
    private final long rootHopId;
    private final int depth;
    private final String symbol;
    private final int symbolId;
    private final Kind kind;
    private final long threadId;
    private final String threadName;
    private final long startNanos;
    private final long durationNanos;
    /** Shared by every hop of one event type. */
    private final String[] argNames;
    private final Object[] argValues;
    private final Object ret;
    private final boolean threw;

    /** A hop as the decoders make it: {@code argNames} shared per event type, {@code argValues} in the same order. */
    Hop(long hopId, long parentHopId, long rootHopId, int depth, String symbol, int symbolId, Kind kind,
        long threadId, String threadName, long startNanos, long durationNanos, String[] argNames,
        Object[] argValues, Object ret, boolean threw) {
        this.hopId = hopId;
        this.parentHopId = parentHopId;
        this.rootHopId = rootHopId;
        this.depth = depth;
        this.symbol = symbol;
        this.symbolId = symbolId;
        this.kind = kind;
        this.threadId = threadId;
        this.threadName = threadName;
        this.startNanos = startNanos;
        this.durationNanos = durationNanos;
        this.argNames = argNames;
        this.argValues = argValues;
        this.ret = ret;
        this.threw = threw;
    }

    public Hop(long hopId, long parentHopId, long rootHopId, int depth, String symbol, Kind kind, long threadId,
               String threadName, long startNanos, long durationNanos, Map<String, Object> args, Object ret,
               boolean threw) {
        this(hopId, parentHopId, rootHopId, depth, symbol, SymbolIds.of(symbol), kind, threadId, threadName,
                startNanos, durationNanos, args.keySet().toArray(String[]::new), args.values().toArray(), ret, threw);
    }

    public long hopId() {
        return hopId;
    }

    public long parentHopId() {
        return parentHopId;
    }

    public long rootHopId() {
        return rootHopId;
    }

    public int depth() {
        return depth;
    }

    public String symbol() {
        return symbol;
    }

    public int symbolId() {
        return symbolId;
    }

    public Kind kind() {
        return kind;
    }

    public long threadId() {
        return threadId;
    }

    public String threadName() {
        return threadName;
    }

    public long startNanos() {
        return startNanos;
    }

    public long durationNanos() {
        return durationNanos;
    }

    /** The arguments by name, in recording order (a read-only view). */
    public Map<String, Object> args() {
        return new ArgMap(argNames, argValues);
    }

    public Object ret() {
        return ret;
    }

    public boolean threw() {
        return threw;
    }

    public boolean isRoot() {
        return parentHopId == 0;
    }

    public long endNanos() {
        return startNanos + durationNanos;
    }

    /** An argument as a number; {@code missing} when absent or not numeric. */
    public long num(String name, long missing) {
        Object v = arg(name);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return missing;
    }

    public String str(String name) {
        Object v = arg(name);
        return v == null ? null : v.toString();
    }

    public boolean has(String name) {
        return at(name) >= 0;
    }

    /** An argument by name; null when absent (or recorded as null). */
    public Object arg(String name) {
        int i = at(name);
        return i < 0 ? null : argValues[i];
    }

    private int at(String name) {
        for (int i = 0; i < argNames.length; i++) {
            if (argNames[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The result as a number; {@code missing} when void or not numeric. */
    public long retNum(long missing) {
        if (ret instanceof Number n) {
            return n.longValue();
        }
        if (ret instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return missing;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hop h && hopId == h.hopId && parentHopId == h.parentHopId && rootHopId == h.rootHopId
                && depth == h.depth && Objects.equals(symbol, h.symbol) && symbolId == h.symbolId && kind == h.kind
                && threadId == h.threadId && Objects.equals(threadName, h.threadName) && startNanos == h.startNanos
                && durationNanos == h.durationNanos && args().equals(h.args()) && Objects.equals(ret, h.ret)
                && threw == h.threw;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hopId, parentHopId, rootHopId, depth, symbol, symbolId, kind, threadId, threadName,
                startNanos, durationNanos, args(), ret, threw);
    }

    @Override
    public String toString() {
        return "Hop[hopId=" + hopId + ", parentHopId=" + parentHopId + ", rootHopId=" + rootHopId + ", depth="
                + depth + ", symbol=" + symbol + ", symbolId=" + symbolId + ", kind=" + kind + ", threadId="
                + threadId + ", threadName=" + threadName + ", startNanos=" + startNanos + ", durationNanos="
                + durationNanos + ", args=" + args() + ", ret=" + ret + ", threw=" + threw + "]";
    }
}
