package dev.dmatrace.analyzer.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.read.HopSink;

/**
 * Rebuilds call trees from hop ids while the hops stream past, holding only the trees still open.
 *
 * <p>A hop is committed when its call returns, so a root is committed after everything it called; but JFR does
 * not write events in commit order, even for one thread (a thread's buffer can reach the file long after a later
 * one), so a child may be read after its root. What JFR does guarantee is that a chunk holds every event committed
 * before the chunk ended. Hence: a hop waits under its parent's id until the parent arrives; a root's tree is
 * ready when the root arrives and is handed on at the end of the chunk, or earlier when more than
 * {@link #MAX_HELD_HOPS} hops are held (memory stays bounded; a descendant read after that becomes an unfinished
 * tree). {@link #finish()} closes what never found its caller under synthetic nodes.
 */
public final class TreeAssembler implements HopSink {
    /**
     * About 110 MiB of held hops: a default 12 MB JFR chunk holds about 300,000 hops, and in recordings made here
     * descendants were read up to 200,000 hops after their root, so a whole chunk is held before anything is
     * handed on early.
     */
    public static final int MAX_HELD_HOPS = 400_000;

    private final Consumer<CallTree> out;
    private final int maxHeld;
    /** Subtrees whose parent has not arrived yet, by parent id. */
    private final Map<Long, List<Node>> waiting = new HashMap<>();
    /** Every held node that has arrived, by id, so a late child finds its parent. */
    private final NodeIndex arrived = new NodeIndex();
    /** Roots that arrived, in arrival order, not yet handed on. */
    private final ArrayDeque<Node> ready = new ArrayDeque<>();
    private long completeTrees;
    private long unfinishedTrees;
    private long unfinishedHops;

    public TreeAssembler(Consumer<CallTree> out) {
        this(out, MAX_HELD_HOPS);
    }

    TreeAssembler(Consumer<CallTree> out, int maxHeld) {
        this.out = out;
        this.maxHeld = maxHeld;
    }

    @Override
    public void accept(Hop hop) {
        Node node = new Node(hop);
        List<Node> kids = waiting.remove(hop.hopId());
        if (kids != null) {
            node.adopt(kids);
        }
        arrived.put(hop.hopId(), node);
        if (hop.isRoot()) {
            ready.add(node);
        } else {
            Node parent = arrived.get(hop.parentHopId());
            if (parent != null) {
                parent.adopt(List.of(node));
            } else {
                waiting.computeIfAbsent(hop.parentHopId(), k -> new ArrayList<>(2)).add(node);
            }
        }
        if (arrived.size() > maxHeld) {
            emitReady(ready.size() / 2 + 1);
        }
    }

    @Override
    public void chunkEnd() {
        emitReady(ready.size());
    }

    private void emitReady(int n) {
        for (int i = 0; i < n && !ready.isEmpty(); i++) {
            Node root = ready.poll();
            int[] size = {0};
            root.walk(x -> {
                arrived.remove(x.id());
                size[0]++;
            });
            completeTrees++;
            out.accept(new CallTree(root, true, size[0]));
        }
    }

    /**
     * Hands on the ready trees, then closes every tree still open: each missing caller becomes a synthetic node,
     * grouped under a synthetic root per root id, so the hops are kept and counted rather than dropped.
     */
    public void finish() {
        chunkEnd();
        Map<Long, Node> roots = new LinkedHashMap<>();
        Map<Long, Integer> rootSizes = new HashMap<>();
        for (Map.Entry<Long, List<Node>> e : waiting.entrySet()) {
            List<Node> kids = e.getValue();
            long rootId = kids.get(0).hop().rootHopId();
            int hops = 0;
            for (Node k : kids) {
                hops += k.size();
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
        arrived.clear();
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
