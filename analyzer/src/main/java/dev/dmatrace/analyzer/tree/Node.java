package dev.dmatrace.analyzer.tree;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.dmatrace.analyzer.read.Hop;

/**
 * A hop in its call tree. A synthetic node stands for a caller whose own event never arrived (its chunk was lost
 * or the recording stopped while it ran): it has the caller's id and no hop.
 */
public final class Node {
    private static final Node[] NONE = new Node[0];

    private final long id;
    private final Hop hop;
    /** In start order; empty and shared until the first child: most hops are leaves. */
    private Node[] children = NONE;
    private int childCount;
    /** Nodes in this subtree, this one included: kept as callees are adopted, so no walk is needed to count. */
    private int size = 1;
    private Node parent;
    /** The assembler's chain of siblings waiting together for this node's parent to arrive. */
    Node nextWaiting;

    Node(Hop hop) {
        this.id = hop.hopId();
        this.hop = hop;
    }

    private Node(long id) {
        this.id = id;
        this.hop = null;
    }

    static Node synthetic(long id) {
        return new Node(id);
    }

    public long id() {
        return id;
    }

    /** The recorded hop; null for a synthetic node. */
    public Hop hop() {
        return hop;
    }

    public boolean synthetic() {
        return hop == null;
    }

    public String symbol() {
        return hop == null ? "<unfinished>" : hop.symbol();
    }

    public Node parent() {
        return parent;
    }

    /** The callees in start order (a read-only view). */
    public List<Node> children() {
        return new Children(this);
    }

    private static final class Children extends AbstractList<Node> implements RandomAccess {
        private final Node n;

        Children(Node n) {
            this.n = n;
        }

        @Override
        public Node get(int i) {
            if (i < 0 || i >= n.childCount) {
                throw new IndexOutOfBoundsException(i);
            }
            return n.children[i];
        }

        @Override
        public int size() {
            return n.childCount;
        }
    }

    /** The number of callees; with {@link #child(int)}, a walk that builds no list. */
    public int childCount() {
        return childCount;
    }

    /** The {@code i}-th callee in start order. */
    public Node child(int i) {
        if (i >= childCount) {
            throw new IndexOutOfBoundsException(i);
        }
        return children[i];
    }

    /** Start of the call; for a synthetic node, that of its earliest child. */
    public long startNanos() {
        if (hop != null) {
            return hop.startNanos();
        }
        return childCount == 0 ? 0 : children[0].startNanos();
    }

    /** Duration of the call; for a synthetic node, the span of its children. */
    public long durationNanos() {
        if (hop != null) {
            return hop.durationNanos();
        }
        long end = 0;
        for (int i = 0; i < childCount; i++) {
            end = Math.max(end, children[i].startNanos() + children[i].durationNanos());
        }
        return childCount == 0 ? 0 : end - startNanos();
    }

    void adopt(List<Node> kids) {
        for (Node k : kids) {
            adopt(k);
        }
    }

    /** Takes {@code k} as a callee, in start order (callees nearly always arrive in that order: cheap). */
    void adopt(Node k) {
        k.parent = this;
        // callers nearly always arrive after their callees: this node has no caller yet and the loop ends at once
        for (Node a = this; a != null; a = a.parent) {
            a.size += k.size;
        }
        if (childCount == children.length) {
            children = Arrays.copyOf(children, Math.max(2, childCount * 2));
        }
        int i = childCount++;
        while (i > 0 && startsAfter(children[i - 1], k)) {
            children[i] = children[i - 1];
            i--;
        }
        children[i] = k;
    }

    /** Start order: the earlier start first, the smaller id first at the same start. */
    private static boolean startsAfter(Node a, Node b) {
        long sa = a.startNanos();
        long sb = b.startNanos();
        return sa > sb || sa == sb && a.id > b.id;
    }

    /** Visits this node and its descendants, callers before callees, in start order. */
    public void walk(Consumer<Node> visitor) {
        visitor.accept(this);
        for (int i = 0; i < childCount; i++) {
            children[i].walk(visitor);
        }
    }

    /** The descendants (not this node) matching {@code p}, in call order. */
    public List<Node> find(Predicate<Node> p) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < childCount; i++) {
            children[i].walk(n -> {
                if (p.test(n)) {
                    out.add(n);
                }
            });
        }
        return out;
    }

    public boolean hasAncestor(Predicate<Node> p, Node stopAt) {
        for (Node a = parent; a != null && a != stopAt; a = a.parent) {
            if (p.test(a)) {
                return true;
            }
        }
        return false;
    }

    public int size() {
        return size;
    }
}
