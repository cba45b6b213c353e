package dev.dmatrace.kernel.trace;

import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.sched.Current;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trace buffer of one machine (tracefs {@code trace}) and its event switches. Lines have the kernel's
 * tracefs text format, {@code "%16s-%-7d [%03d] <flags> %5lu.%06lu: <event>: <TP_printk>"}, so the oracle's
 * summarize.sh reads a simulated trace like a real one. Tracepoint classes (one per include/trace/events
 * header) register their events with {@link #register}.
 */
public final class Tracing {

    private final KernelProfile profile;
    private final boolean is64bit;
    private final long bootNanos = System.nanoTime();
    private final Map<String, TraceEvent> events = new LinkedHashMap<>();
    private final List<String> buffer = new ArrayList<>();

    public Tracing(KernelProfile profile, boolean is64bit) {
        this.profile = profile;
        this.is64bit = is64bit;
    }

    public KernelProfile profile() {
        return profile;
    }

    public synchronized TraceEvent register(String system, String name) {
        return events.computeIfAbsent(system + "/" + name, k -> new TraceEvent(this, system, name));
    }

    /**
     * Writes "1" to {@code events/<path>/enable}: {@code path} is a system ("kmem"), one event
     * ("kmem/mm_page_alloc") or "all". Returns false when nothing matched.
     */
    public synchronized boolean enable(String path, boolean on) {
        boolean any = false;
        for (Map.Entry<String, TraceEvent> e : events.entrySet()) {
            if (path.equals("all") || e.getKey().equals(path) || e.getValue().system().equals(path)) {
                e.getValue().enabled = on;
                any = true;
            }
        }
        return any;
    }

    public synchronized List<String> events() {
        return List.copyOf(events.keySet());
    }

    synchronized void write(String event, boolean irqsOff, String fields) {
        long ns = System.nanoTime() - bootNanos;
        String flags = (irqsOff ? "d" : ".") + ".".repeat(profile.traceFlagColumns() - 1);
        buffer.add(String.format("%16s-%-7d [%03d] %s %5d.%06d: %s: %s", Current.comm(), Current.pid(),
                Current.smpProcessorId(), flags, ns / 1_000_000_000L, (ns / 1000) % 1_000_000, event, fields));
    }

    /** The trace buffer's lines, oldest first. */
    public synchronized List<String> lines() {
        return List.copyOf(buffer);
    }

    /** Empties the buffer (echo > trace). */
    public synchronized void clear() {
        buffer.clear();
    }

    /**
     * {@code %p} with pointer hashing: NULL prints as zeros (pointer_string), anything else as a stable hash of the
     * vmemmap address, 32 significant bits in a pointer-wide field, like ptr_to_id() on a booted kernel.
     */
    String hashedPagePointer(long pfn) {
        int width = is64bit ? 16 : 8;
        if (pfn == -1L) {
            return "0".repeat(width);
        }
        long x = pfn * 0x9E3779B97F4A7C15L;
        x ^= x >>> 29;
        x *= 0xBF58476D1CE4E5B9L;
        x ^= x >>> 32;
        return String.format("%0" + width + "x", x & 0xffffffffL);
    }
}
