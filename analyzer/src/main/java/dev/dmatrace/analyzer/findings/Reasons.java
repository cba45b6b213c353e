package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.List;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * The chain of reasons behind an allocation's outcome, in call order: each provider that was tried and why it did
 * not serve the buffer (kernel-reference §12.1).
 */
final class Reasons {
    private Reasons() {}

    static List<String> of(Node alloc) {
        List<String> out = new ArrayList<>();
        alloc.walk(n -> {
            if (n.synthetic() || n == alloc) {
                return;
            }
            Hop h = n.hop();
            String s = h.symbol();
            if (h.kind() == Hop.Kind.TP) {
                return;
            }
            if (Symbols.DEVICE_POOL_BUFFER.contains(s) && Returns.isNull(h)) {
                out.add("device pool of " + alloc.hop().str(Symbols.DEV) + " has no free region for the request");
            } else if (s.equals(Symbols.DMA_ALLOC_CONTIGUOUS) && Returns.isNull(h)
                    && n.find(c -> c.symbol().equals(Symbols.CMA_ALLOC)).isEmpty()) {
                out.add(cmaSkipped(alloc.hop()));
            } else if (s.equals(Symbols.CMA_ALLOC)) {
                CmaCall cma = CmaCall.of(n);
                if (!cma.succeeded()) {
                    out.add(cma.describeFailure());
                } else if (!cma.busyPfns().isEmpty()) {
                    out.add(String.format("CMA area %s: %d busy range(s) retried before success", cma.area(),
                            cma.busyPfns().size()));
                }
            } else if (Symbols.ATOMIC_POOL.contains(s) && Returns.isNull(h)) {
                out.add("atomic pool has no free region for the request");
            } else if (Symbols.BUDDY_ALLOC.contains(s) && Returns.isNull(h)
                    && !n.hasAncestor(a -> !a.synthetic() && (Symbols.CMA_PATH.contains(a.symbol())
                            || a.symbol().equals(Symbols.ALLOC_CONTIG_RANGE)
                            || Symbols.BUDDY_ALLOC.contains(a.symbol())), alloc)) {
                long order = h.num(Symbols.ORDER, -1);
                out.add(order >= 0
                        ? String.format("buddy allocator has no free block of order %d (zone %s)", order,
                                Allocation.zone(n))
                        : "buddy allocator returned NULL (zone " + Allocation.zone(n) + ")");
            }
        });
        if (Returns.isNull(alloc.hop()) && out.isEmpty()) {
            out.add(alloc.hop().threw() ? "the call threw" : "no provider returned memory");
        }
        return List.copyOf(out);
    }

    /** dma_alloc_contiguous returns NULL without trying CMA (kernel-reference §3.5 steps 1, 3, 5). */
    private static String cmaSkipped(Hop alloc) {
        String gfp = Symbols.gfpText(alloc);
        if (gfp != null && (gfp.contains("GFP_ATOMIC") || gfp.contains("GFP_NOWAIT"))) {
            return "CMA skipped: " + gfp + " does not allow blocking";
        }
        long size = alloc.num(Symbols.SIZE, -1);
        if (size >= 0 && size <= 4096) {
            return "CMA skipped: single-page requests never use the default CMA area";
        }
        return "CMA skipped: no CMA area for this device";
    }
}
