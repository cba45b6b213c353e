package dev.dmatrace.analyzer.render;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.CallTree;
import dev.dmatrace.analyzer.tree.Node;

/**
 * Call trees in the layout of ftrace's {@code function_graph} tracer with its default options (cpu, overhead,
 * duration; kernel/trace/trace_functions_graph.c): an entry line {@code func() {} with an empty duration column,
 * a leaf {@code func();} and a closing {@code }} with the duration and its overhead mark, two spaces of indent
 * per depth, and tracepoint hops as {@code /* event: fields *}{@code /} comment lines. The recording has no CPU
 * numbers: the CPU column numbers the threads in order of first appearance, and a thread switch prints the
 * tracer's {@code ------} separator with both threads.
 */
public final class FunctionGraph {
    private final PrintStream out;
    private final boolean condensed;
    private final Map<Long, Integer> cpuOfThread = new HashMap<>();
    private String lastTask;
    /** While a focused tree prints: the calls opened, those on the way to a focus hop, each call's runs. */
    private Set<Node> open;
    private Set<Node> onPath;
    private Map<Node, List<Run>> runsOf;
    private boolean foldedAny;

    /** The tracer's layout, every call printed. */
    public FunctionGraph(PrintStream out) {
        this(out, false);
    }

    /**
     * {@code condensed}: a run of sibling calls with the same shape (migrating 768 pages is 768 alike subtrees) is
     * printed once, followed by a comment line with how many more there were and their total time.
     */
    public FunctionGraph(PrintStream out, boolean condensed) {
        this.out = out;
        this.condensed = condensed;
    }

    public void header() {
        out.print("# tracer: function_graph\n#\n");
        out.print("# CPU  DURATION                  FUNCTION CALLS\n");
        out.print("# |     |   |                     |   |   |   |\n");
    }

    public void tree(CallTree t) {
        Node root = t.root();
        Hop first = firstHop(root);
        long tid = first == null ? -1 : first.threadId();
        int cpu = cpuOfThread.computeIfAbsent(tid, k -> cpuOfThread.size());
        String task = first == null ? "<unknown>" : first.threadName() + "-" + tid;
        if (lastTask != null && !lastTask.equals(task)) {
            out.print(" ------------------------------------------\n");
            out.printf(" %d) %s => %s\n", cpu, lastTask, task);
            out.print(" ------------------------------------------\n\n");
        }
        lastTask = task;
        node(root, 0, cpu);
    }

    /**
     * Prints {@code t} with the calls on the way to the {@code focus} hops opened, then as many other calls as fit
     * in about {@code lines} lines, the focus hops' callees first, then the rest nearest the root first. A call
     * left closed prints as one line with its total time, as it does under ftrace's {@code max_graph_depth}.
     * Returns whether any call was left closed.
     */
    public boolean focusedTree(CallTree t, Collection<Long> focus, int lines) {
        List<Node> targets = t.root().find(n -> focus.contains(n.id()));
        // the way to a focus hop (the root at least) is always open and never folded into a run of alike calls
        onPath = Collections.newSetFromMap(new IdentityHashMap<>());
        onPath.add(t.root());
        for (Node n : targets) {
            Node a = n;
            while (a != null && onPath.add(a)) {
                a = a.parent();
            }
        }
        runsOf = new IdentityHashMap<>();
        open = Collections.newSetFromMap(new IdentityHashMap<>());
        int used = 1;
        for (Node n : onPath) {
            if (!n.children().isEmpty()) {
                open.add(n);
                used += cost(n);
            }
        }
        used = openNearest(targets, used, lines);
        openNearest(List.of(t.root()), used, lines);
        foldedAny = false;
        tree(t);
        open = null;
        onPath = null;
        runsOf = null;
        return foldedAny;
    }

    /** Opens closed calls breadth first below the open {@code from} calls while they fit; the lines now used. */
    private int openNearest(List<Node> from, int used, int lines) {
        ArrayDeque<Node> queue = new ArrayDeque<>(from);
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            if (!seen.add(n) || !open.contains(n)) {
                continue;
            }
            for (Run r : runs(n)) {
                for (int k = r.from; k < r.from + r.period; k++) {
                    Node c = n.children().get(k);
                    if (!open.contains(c) && !c.children().isEmpty() && used + cost(c) <= lines) {
                        open.add(c);
                        used += cost(c);
                    }
                    queue.add(c);
                }
            }
        }
        return used;
    }

    /** The lines opening {@code n} adds: its printed callees, the "more like it" comments, the closing brace. */
    private int cost(Node n) {
        int lines = 1;
        for (Run r : runs(n)) {
            lines += r.period + (r.more > 0 ? 1 : 0);
        }
        return lines;
    }

    private void node(Node n, int depth, int cpu) {
        String indent = "  ".repeat(depth);
        if (!n.synthetic() && n.hop().kind() == Hop.Kind.TP) {
            // print_graph_comment() indents by (caller depth + 1) * 2, but not at all under a depth-0 caller
            String commentIndent = depth <= 1 ? "" : indent;
            out.printf(" %d) %s|  %s/* %s */\n", cpu, " ".repeat(14), commentIndent,
                    TracepointText.format(n.hop()));
            return;
        }
        String name = n.synthetic() ? "/* unfinished: hop " + n.id() + " */" : n.symbol() + "()";
        boolean closed = open != null && !open.contains(n);
        if (n.children().isEmpty() || closed) {
            foldedAny |= closed && !n.children().isEmpty();
            out.printf(" %d) %s%s%s;\n", cpu, duration(n.durationNanos()), indent, name);
            return;
        }
        out.printf(" %d) %s|  %s%s {\n", cpu, " ".repeat(14), indent, name);
        for (Run r : runs(n)) {
            for (int k = r.from; k < r.from + r.period; k++) {
                node(n.children().get(k), depth + 1, cpu);
            }
            if (r.more > 0) {
                out.printf(" %d) %s|  %s/* ... %d more like %s, %s in all */\n", cpu, " ".repeat(14),
                        "  ".repeat(depth + 1), r.more, r.period == 1 ? "it" : "these " + r.period,
                        duration(r.moreNanos).substring(2).replace("|", "").trim());
            }
        }
        out.printf(" %d) %s%s}\n", cpu, duration(n.durationNanos()), indent);
    }

    /** Printed callees: {@code period} calls from {@code from}, then {@code more} repeats of them, folded. */
    private record Run(int from, int period, int more, long moreNanos) {}

    /** The callees of {@code n} as printed; a focused tree asks for them more than once per call. */
    private List<Run> runs(Node n) {
        return runsOf == null ? computeRuns(n) : runsOf.computeIfAbsent(n, this::computeRuns);
    }

    /** Each callee its own run, or in condensed mode alike runs folded. */
    private List<Run> computeRuns(Node n) {
        List<Node> children = n.children();
        List<Run> runs = new ArrayList<>();
        if (!condensed) {
            for (int i = 0; i < children.size(); i++) {
                runs.add(new Run(i, 1, 0, 0));
            }
            return runs;
        }
        List<String> shapes = children.stream().map(this::shape).toList();
        for (int i = 0; i < children.size(); ) {
            int period = period(shapes, i);
            int j = i + period;
            long nanos = 0;
            int more = 0;
            while (j + period <= children.size()
                    && shapes.subList(j, j + period).equals(shapes.subList(i, i + period))) {
                for (int k = j; k < j + period; k++) {
                    nanos += children.get(k).durationNanos();
                }
                j += period;
                more++;
            }
            runs.add(new Run(i, period, more, nanos));
            i = j;
        }
        return runs;
    }

    /** The length (1 to 4) of the group of calls at {@code i} that repeats most often right after itself. */
    private static int period(List<String> shapes, int i) {
        int best = 1;
        int bestCovered = 0;
        for (int p = 1; p <= 4 && i + 2 * p <= shapes.size(); p++) {
            int j = i + p;
            while (j + p <= shapes.size() && shapes.subList(j, j + p).equals(shapes.subList(i, i + p))) {
                j += p;
            }
            if (j - i > p && j - i > bestCovered) {
                best = p;
                bestCovered = j - i;
            }
        }
        return best;
    }

    /**
     * A call's symbol and its callees' symbols, two levels down: alike for calls that took the same route (the
     * allocations inside a page's migration vary below that with the per-cpu lists' state).
     */
    private String shape(Node n) {
        return onPath != null && onPath.contains(n) ? "@" + n.id() : shape(n, 2);
    }

    private static String shape(Node n, int levels) {
        String self = n.synthetic() ? "?" : n.symbol();
        if (levels == 0 || n.children().isEmpty()) {
            return self;
        }
        StringBuilder sb = new StringBuilder(self).append('(');
        for (Node c : n.children()) {
            sb.append(shape(c, levels - 1)).append(',');
        }
        return sb.append(')').toString();
    }

    /** The overhead mark, the duration in µs padded as trace_print_graph_duration() does, and "|  ". */
    static String duration(long nanos) {
        StringBuilder sb = new StringBuilder();
        sb.append(mark(nanos)).append(' ');
        String usecs = Long.toString(nanos / 1000);
        sb.append(usecs);
        int len = usecs.length();
        if (len < 7) {
            String ns = String.format("%03d", nanos % 1000);
            ns = ns.substring(0, Math.min(ns.length(), Math.min(4, 8 - len) - 1));
            sb.append('.').append(ns);
            len += ns.length() + 1;
        }
        sb.append(" us ");
        for (int i = len; i < 8; i++) {
            sb.append(' ');
        }
        return sb.append("|  ").toString();
    }

    /** trace_find_mark(): the first threshold the duration exceeds. */
    static char mark(long nanos) {
        if (nanos > 1_000_000_000L) {
            return '$';
        }
        if (nanos > 100_000_000L) {
            return '@';
        }
        if (nanos > 10_000_000L) {
            return '*';
        }
        if (nanos > 1_000_000L) {
            return '#';
        }
        if (nanos > 100_000L) {
            return '!';
        }
        if (nanos > 10_000L) {
            return '+';
        }
        return ' ';
    }

    private static Hop firstHop(Node n) {
        if (!n.synthetic()) {
            return n.hop();
        }
        for (Node c : n.children()) {
            Hop h = firstHop(c);
            if (h != null) {
                return h;
            }
        }
        return null;
    }
}
