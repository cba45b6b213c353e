package dev.dmatrace.analyzer.findings;

import dev.dmatrace.analyzer.findings.Symbols.Role;
import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * Page isolation failed: {@code start_isolate_page_range} returned an errno (an unmovable page in a pageblock),
 * or {@code test_pages_isolated} found pages that are not free and isolated (its tracepoint prints ret=fail).
 */
public final class IsolationFailed implements Detector {
    @Override
    public String id() {
        return "ISOLATION_FAILED";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public String explanation() {
        return "alloc_contig_range() could not isolate the range: a pageblock holds unmovable pages, or pages were "
                + "still in use (pinned, on per-cpu lists) when test_pages_isolated() checked";
    }

    @Override
    public void inspect(TreeFacts facts, Occurrences out) {
        if (!facts.any(ISOLATION)) {
            return;
        }
        for (Node n : facts.nodes()) {
            if (!Symbols.is(n, ISOLATION)) {
                continue;
            }
            Hop h = n.hop();
            boolean failed;
            if (h.kind() == Hop.Kind.FN) {
                failed = Returns.errno(h) != 0;
            } else if (Symbols.is(h, Role.TEST_PAGES_ISOLATED) && !firedBy(n, Role.TEST_PAGES_ISOLATED)) {
                failed = h.num("end_pfn", 0) > h.num("fin_pfn", 0);
            } else {
                continue;
            }
            if (failed) {
                out.add(() -> report(facts, n, h));
            }
        }
    }

    /** The functions, and the tracepoint (test_pages_isolated, named as its function), that report isolation. */
    private static final int ISOLATION = Role.ISOLATE_START | Role.TEST_PAGES_ISOLATED;

    /** A tracepoint fired inside a recorded function: the function's result speaks for it, count it once. */
    static boolean firedBy(Node tp, int role) {
        Node p = tp.parent();
        return p != null && Symbols.is(p, role) && p.hop().kind() == Hop.Kind.FN;
    }

    private Finding report(TreeFacts facts, Node n, Hop h) {
        Evidence.Builder ev = Evidence.builder().allocation(facts.allocationOf(n)).hop(n.id());
        long start = h.num("start_pfn", h.num("start", -1));
        long end = h.num("end_pfn", h.num("end", -1));
        if (start >= 0 && end >= 0) {
            ev.pfnRange(start, end);
        }
        int errno = Returns.errno(h);
        if (errno != 0) {
            ev.errno(errno);
        }
        String msg = h.kind() == Hop.Kind.TP
                ? String.format("test_pages_isolated: pfns [0x%x, 0x%x) not isolated, stopped at 0x%x", start, end,
                        h.num("fin_pfn", -1))
                : String.format("%s returned %s", h.symbol(), Returns.errnoName(errno));
        return finding(msg, ev.build(), facts);
    }
}
