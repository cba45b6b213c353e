package dev.dmatrace.analyzer.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.dmatrace.analyzer.read.Hop;

/**
 * Rebuilds call trees from hop ids while the hops stream past, holding only the trees still open. A hop is
 * committed when its call returns, so children arrive before their parent, whatever the threads and chunks:
 * each hop waits under its parent's id until the parent arrives and adopts it, and a root's arrival closes its
 * tree, which is handed on and forgotten. What never finds its parent is closed by {@link #finish()} under
 * synthetic nodes.
 */
public final class TreeAssembler implements Consumer<Hop> {
    private final Consumer<CallTree> out;
    /** Subtrees whose parent has not arrived yet, by parent id. */
    private final Map<Long, List<Node>> waiting = new HashMap<>();
    private final Map<Long, Integer> sizes = new HashMap<>();
    private long completeTrees;
    private long unfinishedTrees;
    private long unfinishedHops;

    public TreeAssembler(Consumer<CallTree> out) {
        this.out = out;
    }

    @Override
    public void accept(Hop hop) {
        Node node = new Node(hop);
        int size = 1;
        List<Node> kids = waiting.remove(hop.hopId());
        if (kids != null) {
            node.adopt(kids);
            for (Node k : kids) {
                size += sizes.remove(k.id());
            }
        }
        if (hop.isRoot()) {
            completeTrees++;
            out.accept(new CallTree(node, true, size));
            return;
        }
        sizes.put(hop.hopId(), size);
        waiting.computeIfAbsent(hop.parentHopId(), k -> new ArrayList<>(2)).add(node);
    }

    /**
     * Closes every tree still open: each missing caller becomes a synthetic node, grouped under a synthetic root
     * per root id, so the hops are kept and counted rather than dropped.
     */
    public void finish() {
        Map<Long, Node> roots = new LinkedHashMap<>();
        Map<Long, Integer> rootSizes = new HashMap<>();
        for (Map.Entry<Long, List<Node>> e : waiting.entrySet()) {
            List<Node> kids = e.getValue();
            long rootId = kids.get(0).hop().rootHopId();
            int hops = 0;
            for (Node k : kids) {
                hops += sizes.get(k.id());
            }
            unfinishedHops += hops;
            Node root = roots.computeIfAbsent(rootId, Node::synthetic);
            rootSizes.merge(rootId, hops, Integer::sum);
            if (e.getKey() == rootId) {
                root.adopt(kids);
            } else {
                Node caller = Node.synthetic(e.getKey());
                caller.adopt(kids);
                root.adopt(List.of(caller));
            }
        }
        waiting.clear();
        sizes.clear();
        roots.values().stream()
                .sorted((a, b) -> Long.compare(a.startNanos(), b.startNanos()))
                .forEach(r -> {
                    unfinishedTrees++;
                    out.accept(new CallTree(r, false, rootSizes.get(r.id())));
                });
    }

    public long completeTrees() {
        return completeTrees;
    }

    public long unfinishedTrees() {
        return unfinishedTrees;
    }

    public long unfinishedHops() {
        return unfinishedHops;
    }
}
