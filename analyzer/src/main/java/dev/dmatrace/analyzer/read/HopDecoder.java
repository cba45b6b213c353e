package dev.dmatrace.analyzer.read;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * Turns {@code dmatrace.fn.*} / {@code dmatrace.tp.*} events into hops. Every field that is neither one of the
 * contract's common fields nor one of JFR's own is an argument, by name: the set of functions is open-ended.
 * The per-type field plan is computed once per event type.
 */
final class HopDecoder {
    static final String FN_PREFIX = "dmatrace.fn.";
    static final String TP_PREFIX = "dmatrace.tp.";

    private static final Set<String> NOT_ARGS = Set.of(
            "startTime", "duration", "eventThread", "stackTrace",
            "hopId", "parentHopId", "rootHopId", "depth", "threw", "ret");
    private static final List<String> REQUIRED = List.of("hopId", "parentHopId", "rootHopId", "depth");

    /**
     * What one event type contributes to its hops, with each field's position for direct access ({@code -1}:
     * absent); {@code valid} is false when the type lacks the contract's id fields.
     */
    private record Plan(String symbol, int symbolId, Hop.Kind kind, String[] argNames, int[] argAt, int hopIdAt, int parentAt,
                        int rootAt, int depthAt, int threwAt, int retAt, int threadAt, int fieldCount,
                        boolean valid) {}

    private final Map<Long, Plan> plans = new HashMap<>();
    /** A chunk's constant pool gives each thread one object: remember its id and name by identity. */
    private final Map<RecordedThread, ThreadKey> threads = new java.util.IdentityHashMap<>();

    private record ThreadKey(long id, String name) {
        static final ThreadKey UNKNOWN = new ThreadKey(-1, "?");
    }
    private final boolean allowDirect;
    private boolean lastByPosition;

    HopDecoder(boolean allowDirect) {
        this.allowDirect = allowDirect;
    }

    /** Whether the last event decoded was read by position (for tests). */
    boolean lastByPosition() {
        return lastByPosition;
    }

    static boolean isHopType(String name) {
        return name.startsWith(FN_PREFIX) || name.startsWith(TP_PREFIX);
    }

    /** The hop, or null when the event type lacks the contract's id fields. */
    Hop decode(RecordedEvent e) {
        EventType type = e.getEventType();
        Plan plan = plans.computeIfAbsent(type.getId(), id -> planFor(type.getName(), e.getFields()));
        if (!plan.valid) {
            return null;
        }
        Object[] raw = FieldAccess.values(e, allowDirect);
        // the array leaves out startTime and (when present) duration, which the event keeps apart
        int shift = raw == null ? 0 : plan.fieldCount - raw.length;
        if (raw != null && (shift < 1 || shift > 2 || plan.hopIdAt < shift)) {
            raw = null; // a layout the plan was not made for: go by name
        }
        lastByPosition = raw != null;
        Object[] values = new Object[plan.argNames.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = raw != null ? raw[plan.argAt[i] - shift] : e.getValue(plan.argNames[i]);
        }
        boolean threw = plan.threwAt >= 0
                && (raw != null ? (Boolean) raw[plan.threwAt - shift] : e.getBoolean("threw"));
        RecordedThread t = raw != null && plan.threadAt >= 0
                ? (RecordedThread) raw[plan.threadAt - shift] : e.getThread();
        ThreadKey thread = t == null ? ThreadKey.UNKNOWN : threads.computeIfAbsent(t, HopDecoder::key);
        long tid = thread.id;
        String tname = thread.name;
        Instant start = e.getStartTime();
        return new Hop(
                raw != null ? ((Number) raw[plan.hopIdAt - shift]).longValue() : e.getLong("hopId"),
                raw != null ? ((Number) raw[plan.parentAt - shift]).longValue() : e.getLong("parentHopId"),
                raw != null ? ((Number) raw[plan.rootAt - shift]).longValue() : e.getLong("rootHopId"),
                raw != null ? ((Number) raw[plan.depthAt - shift]).intValue() : e.getInt("depth"),
                plan.symbol,
                plan.symbolId,
                plan.kind,
                tid,
                tname,
                start.getEpochSecond() * 1_000_000_000L + start.getNano(),
                e.getDuration().toNanos(),
                plan.argNames,
                values,
                // a call that threw returned nothing, whatever default its ret field holds
                plan.retAt >= 0 && !threw ? (raw != null ? raw[plan.retAt - shift] : e.getValue("ret")) : null,
                threw);
    }

    private static ThreadKey key(RecordedThread t) {
        String n = t.getJavaName();
        return new ThreadKey(t.getJavaThreadId(), n != null ? n : t.getOSName() != null ? t.getOSName() : "?");
    }

    /** Forgets the threads of the chunk just read (the next chunk has its own thread objects). */
    void chunkEnd() {
        threads.clear();
    }

    /** The plan from the event's own field list, the order its values are stored in. */
    private static Plan planFor(String name, List<ValueDescriptor> fields) {
        boolean fn = name.startsWith(FN_PREFIX);
        String symbol = name.substring(fn ? FN_PREFIX.length() : TP_PREFIX.length());
        List<String> args = new ArrayList<>();
        List<Integer> argAt = new ArrayList<>();
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            String n = fields.get(i).getName();
            at.put(n, i);
            if (!NOT_ARGS.contains(n)) {
                args.add(n);
                argAt.add(i);
            }
        }
        return new Plan(symbol, SymbolIds.of(symbol), fn ? Hop.Kind.FN : Hop.Kind.TP, args.toArray(String[]::new),
                argAt.stream().mapToInt(Integer::intValue).toArray(), at.getOrDefault("hopId", -1),
                at.getOrDefault("parentHopId", -1), at.getOrDefault("rootHopId", -1), at.getOrDefault("depth", -1),
                at.getOrDefault("threw", -1), at.getOrDefault("ret", -1), at.getOrDefault("eventThread", -1),
                fields.size(), at.keySet().containsAll(REQUIRED));
    }
}
