package dev.dmatrace.analyzer.findings;

import java.util.function.Consumer;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/** A non-blocking allocation went to the atomic pool and the pool had no free region (kernel-reference §3.6, §2.7). */
public final class AtomicPoolExhausted implements Detector {
    @Override
    public String id() {
        return "ATOMIC_POOL_EXHAUSTED";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public String explanation() {
        return "an atomic (non-blocking) allocation needed the DMA atomic pool and it was full; the pool is small "
                + "(coherent_pool=, 128 KiB per GiB by default) and refills only in the background";
    }

    @Override
    public void inspect(TreeFacts facts, Consumer<Finding> out) {
        for (Node n : facts.nodes()) {
            if (n.synthetic()) {
                continue;
            }
            Hop h = n.hop();
            // the outermost pool call speaks for the allocation; nested pool calls are the same attempt
            if (h.kind() == Hop.Kind.FN && Symbols.ATOMIC_POOL.contains(h.symbol()) && Returns.isNull(h)
                    && !n.hasAncestor(p -> Symbols.ATOMIC_POOL.contains(p.symbol()), null)) {
                Allocation a = facts.allocationOf(n);
                out.accept(finding(String.format("%s returned NULL for %s", h.symbol(),
                        a == null ? "a request" : BuddyFallback.dev(a)),
                        Evidence.builder().allocation(a).hop(n.id()).build(), facts));
            }
        }
    }
}
