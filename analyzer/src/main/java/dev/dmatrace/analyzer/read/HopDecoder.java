package dev.dmatrace.analyzer.read;

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

    /** What one event type contributes to its hops; {@code null} plan fields mean the type is not a valid hop. */
    private record Plan(String symbol, Hop.Kind kind, String[] argNames, boolean hasRet, boolean hasThrew,
                        boolean valid) {}

    private final Map<Long, Plan> plans = new HashMap<>();
    private final Map<Long, String> threadNames = new HashMap<>();

    static boolean isHopType(String name) {
        return name.startsWith(FN_PREFIX) || name.startsWith(TP_PREFIX);
    }

    /** The hop, or null when the event type lacks the contract's id fields. */
    Hop decode(RecordedEvent e) {
        EventType type = e.getEventType();
        Plan plan = plans.computeIfAbsent(type.getId(), id -> planFor(type));
        if (!plan.valid) {
            return null;
        }
        Object[] values = new Object[plan.argNames.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = e.getValue(plan.argNames[i]);
        }
        boolean threw = plan.hasThrew && e.getBoolean("threw");
        RecordedThread t = e.getThread();
        long tid = t == null ? -1 : t.getJavaThreadId();
        String tname = t == null ? "?" : threadNames.computeIfAbsent(tid, k -> name(t));
        return new Hop(
                e.getLong("hopId"),
                e.getLong("parentHopId"),
                e.getLong("rootHopId"),
                e.getInt("depth"),
                plan.symbol,
                plan.kind,
                tid,
                tname,
                e.getStartTime().getEpochSecond() * 1_000_000_000L + e.getStartTime().getNano(),
                e.getDuration().toNanos(),
                new ArgMap(plan.argNames, values),
                // a call that threw returned nothing, whatever default its ret field holds
                plan.hasRet && !threw ? e.getValue("ret") : null,
                threw);
    }

    private static String name(RecordedThread t) {
        String n = t.getJavaName();
        return n != null ? n : t.getOSName() != null ? t.getOSName() : "?";
    }

    private static Plan planFor(EventType type) {
        String name = type.getName();
        boolean fn = name.startsWith(FN_PREFIX);
        String symbol = name.substring(fn ? FN_PREFIX.length() : TP_PREFIX.length());
        List<String> args = new ArrayList<>();
        Set<String> present = new java.util.HashSet<>();
        for (ValueDescriptor d : type.getFields()) {
            present.add(d.getName());
            if (!NOT_ARGS.contains(d.getName())) {
                args.add(d.getName());
            }
        }
        return new Plan(symbol, fn ? Hop.Kind.FN : Hop.Kind.TP, args.toArray(String[]::new),
                present.contains("ret"), present.contains("threw"), present.containsAll(REQUIRED));
    }
}
