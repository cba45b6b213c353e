package dev.dmatrace.analyzer.findings;

import java.util.List;

import dev.dmatrace.analyzer.tree.CallTree;

/** One completed tree with what every detector asks first, computed once: its allocations and its cma_alloc calls. */
public record TreeFacts(CallTree tree, List<Allocation> allocations, List<CmaCall> cmaCalls) {

    public static TreeFacts of(CallTree tree) {
        return new TreeFacts(tree, Allocation.in(tree.root()), CmaCall.in(tree.root()));
    }

    /** The allocation a node belongs to, or null when it runs outside any (a pool refill, a workload). */
    public Allocation allocationOf(dev.dmatrace.analyzer.tree.Node n) {
        for (Allocation a : allocations) {
            for (var x = n; x != null; x = x.parent()) {
                if (x == a.node()) {
                    return a;
                }
            }
        }
        return null;
    }
}
