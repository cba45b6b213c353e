import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jdk.jfr.AnnotationElement;
import jdk.jfr.Event;
import jdk.jfr.EventFactory;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.ValueDescriptor;

/**
 * Writes hop events in the agent's contract with every field type and string form JFR has: run by
 * JfrChunkDecoderTest on another JDK (java HopWriter.java FILE) and, through main, on the test's own.
 * Self-contained: a single-file source program.
 */
public final class HopWriter {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Map<String, EventFactory> TYPES = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        write(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 200);
    }

    public static void write(Path file, int allocations) throws Exception {
        try (Recording r = new Recording()) {
            r.setToDisk(true);
            r.start();
            List<Thread> threads = new ArrayList<>();
            String[] names = {"writer-1", "écrivain-2", "作家-3"};
            for (int t = 0; t < names.length; t++) {
                int n = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < allocations; i++) {
                        allocation(n, i);
                        if (n == 0 && i % 50 == 49) {
                            try (Recording rotate = new Recording()) { // ends the chunk
                                rotate.start();
                                rotate.stop();
                            }
                        }
                    }
                }, names[t]);
                th.start();
                threads.add(th);
            }
            for (Thread th : threads) {
                th.join();
            }
            r.stop();
            r.dump(file);
        }
    }

    private static final String[] DEVICES = {
        "vpu", "", null, "gpu€", "カメラ", "a-device-name-long-enough-to-be-pooled-by-jfr", "x".repeat(300),
        "dsp\u0000nul", "Ünïcödé-latin1"};

    private static void allocation(int thread, int i) {
        String dev = DEVICES[(thread + i) % DEVICES.length];
        long root = IDS.incrementAndGet();
        Event e = event("dmatrace.fn.dma_alloc_coherent", long.class,
                "dev", String.class, "size", long.class, "gfp", int.class, "flag", boolean.class,
                "b", byte.class, "s", short.class, "c", char.class, "f", float.class, "d", double.class);
        contract(e, root, 0, root, 0);
        e.set(5, dev);
        e.set(6, (long) i << 12);
        e.set(7, i % 3 == 0 ? -12 : 0xcc0);
        e.set(8, i % 2 == 0);
        e.set(9, (byte) (i - 64));
        e.set(10, (short) (i * -31));
        e.set(11, (char) ('A' + i % 1000));
        e.set(12, i / 7.0f);
        e.set(13, i % 5 == 0 ? Double.NaN : -i / 3.0);
        e.begin();
        long child = IDS.incrementAndGet();
        Event tp = event("dmatrace.tp.cma_alloc_start", null, "name", String.class, "count", long.class);
        contract(tp, child, root, root, 1);
        tp.set(5, i % 4 == 0 ? "reserved" : DEVICES[i % DEVICES.length]);
        tp.set(6, Long.MIN_VALUE + i);
        tp.commit();
        long thrower = IDS.incrementAndGet();
        Event th = event("dmatrace.fn.set_migratetype_isolate", int.class, "migratetype", int.class);
        contract(th, thrower, root, root, 1);
        th.set(5, 4);
        th.begin();
        th.set(4, i % 3 == 0); // threw
        th.set(6, i % 3 == 0 ? 0 : -16);
        th.end();
        th.commit();
        e.end();
        e.set(14, Long.MAX_VALUE - i);
        e.commit();
    }

    private static void contract(Event e, long id, long parent, long root, int depth) {
        e.set(0, id);
        e.set(1, parent);
        e.set(2, root);
        e.set(3, depth);
        e.set(4, false);
    }

    private static Event event(String name, Class<?> ret, Object... fields) {
        return TYPES.computeIfAbsent(name, k -> {
            List<ValueDescriptor> fs = new ArrayList<>();
            fs.add(new ValueDescriptor(long.class, "hopId"));
            fs.add(new ValueDescriptor(long.class, "parentHopId"));
            fs.add(new ValueDescriptor(long.class, "rootHopId"));
            fs.add(new ValueDescriptor(int.class, "depth"));
            fs.add(new ValueDescriptor(boolean.class, "threw"));
            for (int i = 0; i < fields.length; i += 2) {
                fs.add(new ValueDescriptor((Class<?>) fields[i + 1], (String) fields[i]));
            }
            if (ret != null) {
                fs.add(new ValueDescriptor(ret, "ret"));
            }
            return EventFactory.create(List.of(new AnnotationElement(Name.class, name),
                    new AnnotationElement(StackTrace.class, false)), fs);
        }).newEvent();
    }
}
