package dev.dmatrace.analyzer.read;

import java.util.Map;

/**
 * One kernel-function call (or one tracepoint firing) as the agent recorded it: the compact model every later
 * stage works on. {@code args} keeps the recording's field order; {@code ret} is null when the function is void.
 * {@code symbolId} is the symbol's {@link SymbolIds} id, resolved once per event type by the decoder.
 */
public record Hop(
        long hopId,
        long parentHopId,
        long rootHopId,
        int depth,
        String symbol,
        int symbolId,
        Kind kind,
        long threadId,
        String threadName,
        long startNanos,
        long durationNanos,
        Map<String, Object> args,
        Object ret,
        boolean threw) {

    /** A kernel function ({@code dmatrace.fn.*}) or a tracepoint ({@code dmatrace.tp.*}). */
    public enum Kind { FN, TP }

    public Hop(long hopId, long parentHopId, long rootHopId, int depth, String symbol, Kind kind, long threadId,
               String threadName, long startNanos, long durationNanos, Map<String, Object> args, Object ret,
               boolean threw) {
        this(hopId, parentHopId, rootHopId, depth, symbol, SymbolIds.of(symbol), kind, threadId, threadName,
                startNanos, durationNanos, args, ret, threw);
    }

    public boolean isRoot() {
        return parentHopId == 0;
    }

    public long endNanos() {
        return startNanos + durationNanos;
    }

    /** An argument as a number; {@code missing} when absent or not numeric. */
    public long num(String name, long missing) {
        Object v = args.get(name);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return missing;
    }

    public String str(String name) {
        Object v = args.get(name);
        return v == null ? null : v.toString();
    }

    public boolean has(String name) {
        return args.containsKey(name);
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
}
