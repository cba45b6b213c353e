package dev.dmatrace.analyzer.render.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.dmatrace.analyzer.findings.Allocation;
import dev.dmatrace.analyzer.findings.Returns;
import dev.dmatrace.analyzer.findings.Symbols;
import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * The physical memory of each CMA area over time, as far as the calls show it: a range is {@code allocated} from
 * the cma_alloc that returned it to the cma_release that gave it back (or the end of the recording),
 * {@code isolated} while alloc_contig_range works on it, {@code busy} when that attempt ended in -EBUSY (pages
 * pinned or unmovable), {@code migrated} when pages had to be migrated out of it first. The recording does not
 * carry an area's bounds, so the map spans the pfns seen. Times are ns from the recording's origin.
 */
public record CmaMap(String area, long minPfn, long maxPfn, List<Span> spans) {

    /** One range in one state for a while. */
    public record Span(String state, long start, long end, long pfn, long count) {}

    public static List<CmaMap> of(RecordingViews views) {
        long t0 = Slices.origin(views);
        List<Event> events = new ArrayList<>();
        for (List<RecordingViews.TreeOutcome> trees : views.byThread().values()) {
            for (RecordingViews.TreeOutcome t : trees) {
                t.tree().root().walk(n -> collect(n, t0, events));
            }
        }
        events.sort(Comparator.comparingLong(Event::at));
        Map<String, List<Span>> byArea = new TreeMap<>();
        Map<String, Span> open = new HashMap<>();
        long end = 0;
        for (Event e : events) {
            end = Math.max(end, e.span.end());
            List<Span> spans = byArea.computeIfAbsent(e.area, k -> new ArrayList<>());
            String key = e.area + "@" + e.span.pfn();
            if (e.span.state().equals("released")) {
                Span a = open.remove(key);
                if (a != null) {
                    spans.add(new Span(a.state(), a.start(), e.at, a.pfn(), a.count()));
                }
            } else if (e.span.state().equals("allocated")) {
                // handed out again: its release was not recorded, so it ended when the range was reused
                Span before = open.put(key, e.span);
                if (before != null) {
                    spans.add(new Span(before.state(), before.start(), e.at, before.pfn(), before.count()));
                }
            } else {
                spans.add(e.span);
            }
        }
        for (Map.Entry<String, Span> o : open.entrySet()) {
            Span a = o.getValue();
            byArea.get(o.getKey().substring(0, o.getKey().lastIndexOf('@')))
                    .add(new Span(a.state(), a.start(), Math.max(end, a.start()), a.pfn(), a.count()));
        }
        List<CmaMap> out = new ArrayList<>();
        byArea.forEach((area, spans) -> {
            long lo = Long.MAX_VALUE;
            long hi = 0;
            for (Span s : spans) {
                lo = Math.min(lo, s.pfn());
                hi = Math.max(hi, s.pfn() + s.count());
            }
            if (!spans.isEmpty()) {
                out.add(new CmaMap(area, lo, hi, spans));
            }
        });
        return out;
    }

    private record Event(long at, String area, Span span) {}

    private static void collect(Node n, long t0, List<Event> out) {
        if (n.synthetic() || n.hop().kind() != Hop.Kind.FN) {
            return;
        }
        Hop h = n.hop();
        long start = h.startNanos() - t0;
        long end = h.endNanos() - t0;
        String s = h.symbol();
        if (s.equals(Symbols.CMA_ALLOC) && !Returns.isNull(h)) {
            out.add(new Event(end, Allocation.cmaArea(n), new Span("allocated", end, end, h.retNum(-1),
                    h.num(Symbols.COUNT, 1))));
        } else if (s.equals("cma_release") && h.has("pages")) {
            out.add(new Event(start, Allocation.cmaArea(n), new Span("released", start, start, h.num("pages", -1),
                    h.num(Symbols.COUNT, 1))));
        } else if (s.equals(Symbols.ALLOC_CONTIG_RANGE) && cmaAncestor(n) != null) {
            long from = h.num("start", -1);
            long to = h.num("end", -1);
            if (from < 0 || to <= from) {
                return;
            }
            String area = Allocation.cmaArea(cmaAncestor(n));
            boolean migrated = !n.find(c -> !c.synthetic() && Symbols.MIGRATE.contains(c.symbol())).isEmpty();
            String state = Returns.errno(h) == Symbols.EBUSY ? "busy" : migrated ? "migrated" : "isolated";
            out.add(new Event(start, area, new Span(state, start, end, from, to - from)));
        }
    }

    private static Node cmaAncestor(Node n) {
        for (Node a = n.parent(); a != null; a = a.parent()) {
            if (!a.synthetic() && a.symbol().equals(Symbols.CMA_ALLOC)) {
                return a;
            }
        }
        return null;
    }
}
