package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.List;

import dev.dmatrace.analyzer.tree.CallTree;
import dev.dmatrace.analyzer.tree.Node;

/**
 * One completed tree with what every detector asks first, computed in one walk: its nodes in call order (callers
 * before callees, callees in start order), its allocations and its cma_alloc calls. Detectors iterate
 * {@link #nodes()} rather than walking the tree again each.
 */
public record TreeFacts(CallTree tree, List<Node> nodes, List<Allocation> allocations, List<CmaCall> cmaCalls) {

    public static TreeFacts of(CallTree tree) {
        List<Node> nodes = new ArrayList<>(tree.hops() + 1);
        tree.root().walk(nodes::add);
        List<CmaCall> cma = new ArrayList<>();
        for (Node n : nodes) {
            if (CmaCall.isCmaAlloc(n)) {
                cma.add(CmaCall.of(n));
            }
        }
        return new TreeFacts(tree, nodes, Allocation.in(tree.root()), cma);
    }

    /** The allocation a node belongs to, or null when it runs outside any (a pool refill, a workload). */
    public Allocation allocationOf(Node n) {
        for (Allocation a : allocations) {
            for (var x = n; x != null; x = x.parent()) {
                if (x == a.node()) {
                    return a;
                }
            }
        }
        return null;
    }

    /** Whether {@code n} is the node of one of the allocations. */
    public boolean isAllocation(Node n) {
        for (Allocation a : allocations) {
            if (a.node() == n) {
                return true;
            }
        }
        return false;
    }
}
