package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.List;

import dev.dmatrace.analyzer.findings.Symbols.Role;
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
            if (h.kind() == Hop.Kind.TP) {
                return;
            }
            int roles = Symbols.roles(h);
            if ((roles & Role.DEVICE_POOL_BUFFER) != 0 && Returns.isNull(h)) {
                out.add("device pool of " + alloc.hop().str(Symbols.DEV) + " has no free region for the request");
            } else if ((roles & Role.DMA_ALLOC_CONTIGUOUS) != 0 && Returns.isNull(h)
                    && n.find(c -> Symbols.is(c, Role.CMA_ALLOC)).isEmpty()) {
                out.add(cmaSkipped(alloc.hop()));
            } else if ((roles & Role.CMA_ALLOC) != 0) {
                CmaCall cma = CmaCall.of(n);
                if (!cma.succeeded()) {
                    out.add(cma.describeFailure());
                } else if (!cma.busyPfns().isEmpty()) {
                    out.add(String.format("CMA area %s: %d busy range(s) retried before success", cma.area(),
                            cma.busyPfns().size()));
                }
            } else if ((roles & Role.ATOMIC_POOL) != 0 && Returns.isNull(h)) {
                out.add("atomic pool has no free region for the request");
            } else if ((roles & Role.BUDDY_ALLOC) != 0 && Returns.isNull(h) && !n.hasAncestor(a -> Symbols.is(a,
                    Role.CMA_PATH | Role.ALLOC_CONTIG_RANGE | Role.BUDDY_ALLOC), alloc)) {
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
