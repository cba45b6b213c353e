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
import dev.dmatrace.analyzer.util.LongMap;

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
 *
 * <p>The fast reader can do better than the chunk's end: it groups each chunk's hops by their root id
 * ({@link #byTree()}), so a tree is handed on as soon as its group ends ({@link #treeEnd()}) and only the trees
 * that span chunks are held. With {@code RecordingFile} (the fallback) hops come in file order as described.
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
    /**
     * Subtrees whose parent has not arrived yet, by parent id: the last to arrive, the others chained behind it
     * through {@link Node#nextWaiting} (no list per parent: nearly every caller is waited for).
     */
    private final LongMap<Node> waiting = new LongMap<>(1 << 12);
    /** Every held node that has arrived, by id, so a late child finds its parent. */
    private final LongMap<Node> arrived = new LongMap<>(1 << 12);
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
        long id = hop.hopId();
        Node kids = waiting.remove(id);
        for (Node k = kids == null ? null : inArrivalOrder(kids); k != null; ) {
            Node next = k.nextWaiting;
            k.nextWaiting = null;
            node.adopt(k);
            k = next;
        }
        arrived.put(id, node);
        if (hop.isRoot()) {
            ready.add(node);
        } else {
            Node parent = arrived.get(hop.parentHopId());
            if (parent != null) {
                parent.adopt(node);
            } else {
                node.nextWaiting = waiting.get(hop.parentHopId());
                waiting.put(hop.parentHopId(), node);
            }
        }
        if (arrived.size() > maxHeld) {
            emitReady(ready.size() / 2 + 1, true);
        }
    }

    /** Turns the chain of siblings that waited together around, in place: the first to arrive first. */
    private static Node inArrivalOrder(Node last) {
        Node first = null;
        for (Node k = last; k != null; ) {
            Node next = k.nextWaiting;
            k.nextWaiting = first;
            first = k;
            k = next;
        }
        return first;
    }

    /** Unchains the siblings that waited together, first arrived first. */
    private static List<Node> unchain(Node last) {
        List<Node> out = new ArrayList<>();
        for (Node k = inArrivalOrder(last); k != null; ) {
            Node next = k.nextWaiting;
            k.nextWaiting = null;
            out.add(k);
            k = next;
        }
        return out;
    }

    /** The reader may group each chunk's hops by tree: then each tree is handed on as soon as it ends. */
    @Override
    public boolean byTree() {
        return true;
    }

    /**
     * Every hop of this chunk under the root just read has arrived (the reader grouped them): the tree is as
     * complete as it would be at the chunk's end, so it is handed on now rather than held. The index stays small.
     */
    @Override
    public void treeEnd() {
        emitReady(ready.size(), true);
    }

    /**
     * Hands on every ready tree. Then the only nodes still held hang below callers that have not arrived (the
     * waiting chains): the index is rebuilt from those, which forgets a chunk's worth of handed-on nodes at once
     * instead of one random-access removal each.
     */
    @Override
    public void chunkEnd() {
        emitReady(ready.size(), false);
        List<Node> open = new ArrayList<>();
        waiting.forEach((parentId, last) -> {
            for (Node k = last; k != null; k = k.nextWaiting) {
                k.walk(open::add);
            }
        });
        arrived.clear();
        for (Node n : open) {
            arrived.put(n.id(), n);
        }
    }

    /** Hands on {@code n} ready trees; {@code forget}: take their nodes out of the index one by one now. */
    private void emitReady(int n, boolean forget) {
        for (int i = 0; i < n && !ready.isEmpty(); i++) {
            Node root = ready.poll();
            int size = forget ? release(root) : root.size();
            completeTrees++;
            out.accept(new CallTree(root, true, size));
        }
    }

    /** Forgets a tree's nodes (a descendant read later starts an unfinished tree); its size. */
    private int release(Node n) {
        arrived.remove(n.id());
        int size = 1;
        for (int i = 0; i < n.childCount(); i++) {
            size += release(n.child(i));
        }
        return size;
    }

    /**
     * Hands on the ready trees, then closes every tree still open: each missing caller becomes a synthetic node,
     * grouped under a synthetic root per root id, so the hops are kept and counted rather than dropped.
     */
    public void finish() {
        chunkEnd();
        Map<Long, Node> roots = new LinkedHashMap<>();
        Map<Long, Integer> rootSizes = new HashMap<>();
        List<Map.Entry<Long, List<Node>>> open = new ArrayList<>();
        waiting.forEach((parentId, last) -> open.add(Map.entry(parentId, unchain(last))));
        for (Map.Entry<Long, List<Node>> e : open) {
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
