package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.List;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.CallTree;
import dev.dmatrace.analyzer.tree.Node;

/**
 * One completed tree with what every detector asks first, computed in one walk: its nodes in call order (callers
 * before callees, callees in start order), the {@link Symbols.Role} bits of all its hops together, its allocations
 * and its cma_alloc calls. Detectors iterate {@link #nodes()} rather than walking the tree again each, and skip a
 * tree at once when it holds no hop of the kind they look for ({@link #any(int)}).
 */
public record TreeFacts(CallTree tree, List<Node> nodes, int roles, List<Allocation> allocations,
                        List<CmaCall> cmaCalls) {

    public static TreeFacts of(CallTree tree) {
        List<Node> nodes = new ArrayList<>(tree.hops() + 1);
        tree.root().walk(nodes::add);
        int roles = 0;
        List<CmaCall> cma = new ArrayList<>(1);
        for (Node n : nodes) {
            if (n.synthetic()) {
                continue;
            }
            int r = Symbols.roles(n.hop());
            roles |= r;
            if ((r & Symbols.Role.CMA_ALLOC) != 0 && n.hop().kind() == Hop.Kind.FN) {
                cma.add(CmaCall.of(n));
            }
        }
        return new TreeFacts(tree, nodes, roles, Allocation.in(tree.root()), cma);
    }

    /** Whether some hop of the tree has one of the {@code role} bits. */
    public boolean any(int role) {
        return (roles & role) != 0;
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
