package dev.dmatrace.analyzer.tree;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.dmatrace.analyzer.read.Hop;

/**
 * A hop in its call tree. A synthetic node stands for a caller whose own event never arrived (its chunk was lost
 * or the recording stopped while it ran): it has the caller's id and no hop.
 */
public final class Node {
    private static final Comparator<Node> BY_START = Comparator.comparingLong(Node::startNanos)
            .thenComparingLong(Node::id);

    private final long id;
    private final Hop hop;
    /** Empty and shared until the first child: most hops are leaves. */
    private List<Node> children = List.of();
    private Node parent;

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

    public List<Node> children() {
        return java.util.Collections.unmodifiableList(children);
    }

    /** Start of the call; for a synthetic node, that of its earliest child. */
    public long startNanos() {
        if (hop != null) {
            return hop.startNanos();
        }
        return children.isEmpty() ? 0 : children.get(0).startNanos();
    }

    /** Duration of the call; for a synthetic node, the span of its children. */
    public long durationNanos() {
        if (hop != null) {
            return hop.durationNanos();
        }
        long end = 0;
        for (Node c : children) {
            end = Math.max(end, c.startNanos() + c.durationNanos());
        }
        return children.isEmpty() ? 0 : end - startNanos();
    }

    void adopt(List<Node> kids) {
        for (Node k : kids) {
            k.parent = this;
        }
        if (children.isEmpty()) {
            children = new ArrayList<>(Math.max(2, kids.size()));
        }
        children.addAll(kids);
        if (children.size() > 1) {
            children.sort(BY_START);
        }
    }

    /** Visits this node and its descendants, callers before callees, in start order. */
    public void walk(Consumer<Node> visitor) {
        visitor.accept(this);
        for (Node c : children) {
            c.walk(visitor);
        }
    }

    /** The descendants (not this node) matching {@code p}, in call order. */
    public List<Node> find(Predicate<Node> p) {
        List<Node> out = new ArrayList<>();
        for (Node c : children) {
            c.walk(n -> {
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
        int[] n = {0};
        walk(x -> n[0]++);
        return n[0];
    }
}
