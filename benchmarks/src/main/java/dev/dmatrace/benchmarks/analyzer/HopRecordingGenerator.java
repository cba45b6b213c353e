package dev.dmatrace.benchmarks.analyzer;

import java.io.IOException;
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
 * Writes a large recording in the agent's event contract (docs/events.md): every allocation is the 6.1
 * dma-direct CMA chain of 15 hops (5 of them tracepoints), one in eight meets a busy range first, one in
 * sixteen falls back to the buddy allocator. Two threads interleave. Real JFR events, committed on exit.
 */
final class HopRecordingGenerator {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Map<String, EventFactory> FACTORIES = new ConcurrentHashMap<>();

    private HopRecordingGenerator() {}

    /** Writes about {@code hops} hops to {@code file}; returns the exact number written. */
    static long generate(Path file, long hops) throws IOException, InterruptedException {
        AtomicLong written = new AtomicLong();
        try (Recording r = new Recording()) {
            r.setToDisk(true);
            r.start();
            int threads = 2;
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int dev = t;
                Thread th = new Thread(() -> {
                    long i = 0;
                    while (written.get() < hops) {
                        written.addAndGet(allocation("dev" + dev, i++));
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread th : ts) {
                th.join();
            }
            r.stop();
            r.dump(file);
        }
        return written.get();
    }

    /** One dma_alloc_coherent() with its subtree; returns the number of hops. */
    private static int allocation(String dev, long i) {
        Frame e = Frame.enter(null, "dma_alloc_coherent", "dev", dev, "size", 1L << 20, "gfp", 0xcc0,
                "gfp_text", "GFP_KERNEL");
        Frame attrs = Frame.enter(e, "dma_alloc_attrs", "dev", dev, "size", 1L << 20, "gfp", 0xcc0, "gfp_text",
                "GFP_KERNEL", "attrs", 0L);
        Frame direct = Frame.enter(attrs, "dma_direct_alloc", "dev", dev, "size", 1L << 20);
        Frame pages = Frame.enter(direct, "__dma_direct_alloc_pages", "dev", dev, "size", 1L << 20);
        Frame contig = Frame.enter(pages, "dma_alloc_contiguous", "dev", dev, "size", 1L << 20);
        Frame cma = Frame.enter(contig, "cma_alloc", "cma", "reserved", "count", 256L, "align", 8);
        int n = 6;
        n += tp(cma, "cma_alloc_start", "name", "reserved", "count", 256L, "align", 8);
        long pfn = 0x40000 + (i % 64) * 256;
        boolean busy = i % 8 == 0;
        boolean fail = i % 16 == 0;
        if (busy) {
            n += contigRange(cma, pfn, -16);
            n += tp(cma, "cma_alloc_busy_retry", "name", "reserved", "pfn", pfn, "page", pfn, "count", 256L,
                    "align", 8);
            pfn += 256;
        }
        if (!fail) {
            n += contigRange(cma, pfn, 0);
        }
        long page = fail ? -1 : pfn;
        n += tp(cma, "cma_alloc_finish", "name", "reserved", "pfn", pfn, "page", page, "count", 256L, "align", 8);
        cma.exit(page);
        contig.exit(page);
        if (fail) {
            Frame buddy = Frame.enter(pages, "alloc_pages_node", "nid", 0, "gfp", 0xcc0, "order", 8);
            n++;
            buddy.exit(0x9000L);
            page = 0x9000L;
        }
        long addr = 0xffff888000000000L + page * 4096;
        pages.exit(page);
        direct.exit(addr);
        attrs.exit(addr);
        e.exit(addr);
        return n;
    }

    private static int contigRange(Frame cma, long pfn, int ret) {
        Frame acr = Frame.enter(cma, "alloc_contig_range", "start", pfn, "end", pfn + 256, "migratetype", 4);
        Frame iso = Frame.enter(acr, "start_isolate_page_range", "start_pfn", pfn, "end_pfn", pfn + 256);
        iso.exit(0);
        Frame test = Frame.enter(acr, "test_pages_isolated", "start_pfn", pfn, "end_pfn", pfn + 256);
        int n = 3 + tp(test, "test_pages_isolated", "start_pfn", pfn, "end_pfn", pfn + 256, "fin_pfn",
                ret == 0 ? pfn + 256 : pfn + 3);
        test.exit(ret);
        acr.exit(ret);
        return n;
    }

    private static int tp(Frame parent, String name, Object... args) {
        Event ev = create("dmatrace.tp." + name, null, args);
        long id = IDS.incrementAndGet();
        set(ev, id, parent.id, parent.root, parent.depth + 1, args, false);
        ev.commit();
        return 1;
    }

    /** An open kernel-function call. */
    private static final class Frame {
        final Event ev;
        final long id;
        final long root;
        final int depth;
        final int retIndex;
        final boolean intRet;

        private Frame(Event ev, long id, long root, int depth, int retIndex, boolean intRet) {
            this.ev = ev;
            this.id = id;
            this.root = root;
            this.depth = depth;
            this.retIndex = retIndex;
            this.intRet = intRet;
        }

        static Frame enter(Frame parent, String symbol, Object... args) {
            Class<?> ret = symbol.equals("alloc_contig_range") || symbol.equals("start_isolate_page_range")
                    || symbol.equals("test_pages_isolated") ? int.class : long.class;
            Event ev = create("dmatrace.fn." + symbol, ret, args);
            long id = IDS.incrementAndGet();
            set(ev, id, parent == null ? 0 : parent.id, parent == null ? id : parent.root,
                    parent == null ? 0 : parent.depth + 1, args, true);
            ev.begin();
            return new Frame(ev, id, parent == null ? id : parent.root, parent == null ? 0 : parent.depth + 1,
                    args.length / 2, ret == int.class);
        }

        void exit(Number ret) {
            ev.end();
            ev.set(retIndex, intRet ? (Object) ret.intValue() : (Object) ret.longValue());
            ev.commit();
        }
    }

    /** Fields in the agent's order: the arguments, the result ({@code hasRet}), then the hop's ids. */
    private static void set(Event ev, long id, long parent, long root, int depth, Object[] args, boolean hasRet) {
        for (int i = 0; i < args.length; i += 2) {
            ev.set(i / 2, args[i + 1]);
        }
        int ids = args.length / 2 + (hasRet ? 1 : 0);
        ev.set(ids, id);
        ev.set(ids + 1, parent);
        ev.set(ids + 2, root);
        ev.set(ids + 3, depth);
        ev.set(ids + 4, false);
    }

    private static Event create(String type, Class<?> ret, Object[] args) {
        return FACTORIES.computeIfAbsent(type, k -> {
            // the agent's layout: an event type's own fields (arguments, result) before HopEvent's inherited ids
            List<ValueDescriptor> fields = new ArrayList<>();
            for (int i = 0; i < args.length; i += 2) {
                Object v = args[i + 1];
                Class<?> c = v instanceof Long ? long.class : v instanceof Integer ? int.class : String.class;
                fields.add(new ValueDescriptor(c, (String) args[i]));
            }
            if (ret != null) {
                fields.add(new ValueDescriptor(ret, "ret"));
            }
            fields.add(new ValueDescriptor(long.class, "hopId"));
            fields.add(new ValueDescriptor(long.class, "parentHopId"));
            fields.add(new ValueDescriptor(long.class, "rootHopId"));
            fields.add(new ValueDescriptor(int.class, "depth"));
            fields.add(new ValueDescriptor(boolean.class, "threw"));
            return EventFactory.create(List.of(new AnnotationElement(Name.class, type),
                    new AnnotationElement(StackTrace.class, false)), fields);
        }).newEvent();
    }
}
