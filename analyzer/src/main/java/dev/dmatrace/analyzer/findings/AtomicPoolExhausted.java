package dev.dmatrace.analyzer.findings;

import dev.dmatrace.analyzer.findings.Symbols.Role;
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
    public void inspect(TreeFacts facts, Occurrences out) {
        if (!facts.any(Role.ATOMIC_POOL)) {
            return;
        }
        for (Node n : facts.nodes()) {
            // the outermost pool call speaks for the allocation; nested pool calls are the same attempt
            if (Symbols.is(n, Role.ATOMIC_POOL) && n.hop().kind() == Hop.Kind.FN && Returns.isNull(n.hop())
                    && !n.hasAncestor(p -> Symbols.is(p, Role.ATOMIC_POOL), null)) {
                out.add(() -> report(facts, n));
            }
        }
    }

    private Finding report(TreeFacts facts, Node n) {
        Allocation a = facts.allocationOf(n);
        return finding(String.format("%s returned NULL for %s", n.hop().symbol(),
                a == null ? "a request" : BuddyFallback.dev(a)),
                Evidence.builder().allocation(a).hop(n.id()).build(), facts);
    }
}
