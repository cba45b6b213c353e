package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.List;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * What one {@code cma_alloc} did (kernel-reference §4.5): each candidate range is tried with
 * {@code alloc_contig_range}; -EBUSY moves on to the next aligned candidate (6.1 fires
 * {@code cma_alloc_busy_retry}), any other error ends the search, and no candidate at all means the bitmap had no
 * free range of {@code count} pages.
 */
public record CmaCall(Node node, String area, long count, long align, boolean succeeded, int attempts,
                      List<Long> busyPfns, int lastErrno) {

    public static CmaCall of(Node cma) {
        Hop h = cma.hop();
        int attempts = 0;
        int lastErrno = 0;
        List<Long> busyFromFn = List.of();
        List<Long> busyFromTp = List.of();
        for (int i = 0; i < cma.childCount(); i++) {
            Node c = cma.child(i);
            if (c.synthetic()) {
                continue;
            }
            Hop k = c.hop();
            int roles = Symbols.roles(k);
            if (k.kind() == Hop.Kind.FN && (roles & Symbols.Role.ALLOC_CONTIG_RANGE) != 0) {
                attempts++;
                lastErrno = Returns.errno(k);
                if (lastErrno == Symbols.EBUSY) {
                    busyFromFn = add(busyFromFn, k.num("start", k.num("pfn", -1)));
                }
            } else if (k.kind() == Hop.Kind.TP && (roles & Symbols.Role.TP_BUSY_RETRY) != 0) {
                busyFromTp = add(busyFromTp, k.num("pfn", -1));
            }
        }
        // 6.1 names every retry with its tracepoint; older kernels only show the -EBUSY returns
        List<Long> busy = busyFromTp.isEmpty() ? busyFromFn : busyFromTp;
        return new CmaCall(cma, Allocation.cmaArea(cma), h.num(Symbols.COUNT, -1), h.num(Symbols.ALIGN, -1),
                !Returns.isNull(h), attempts, List.copyOf(busy), lastErrno);
    }

    /** Appends to a list that is empty and immutable until the first busy range (most calls have none). */
    private static List<Long> add(List<Long> list, long pfn) {
        List<Long> out = list.isEmpty() ? new ArrayList<>() : list;
        out.add(pfn);
        return out;
    }

    /** Every cma_alloc below {@code root}, outermost first. */
    public static List<CmaCall> in(Node root) {
        List<CmaCall> out = new ArrayList<>();
        root.walk(n -> {
            if (isCmaAlloc(n)) {
                out.add(of(n));
            }
        });
        return out;
    }

    static boolean isCmaAlloc(Node n) {
        return Symbols.is(n, Symbols.Role.CMA_ALLOC) && n.hop().kind() == Hop.Kind.FN;
    }

    /** The bitmap had no free range for the request: no candidate was ever tried. */
    public boolean noSpace() {
        return !succeeded && attempts == 0 && busyPfns.isEmpty();
    }

    public String describeFailure() {
        if (noSpace()) {
            return "CMA area " + area + " has no free range of " + count + " pages (align order " + align + ")";
        }
        if (lastErrno == Symbols.EBUSY || lastErrno == 0) {
            return "CMA area " + area + ": every candidate range was busy (" + Math.max(attempts, busyPfns.size())
                    + " tried)";
        }
        return "CMA area " + area + ": alloc_contig_range returned " + Returns.errnoName(lastErrno);
    }
}
