package dev.dmatrace.analyzer.render;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

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
        if (n.children().isEmpty()) {
            out.printf(" %d) %s%s%s;\n", cpu, duration(n.durationNanos()), indent, name);
            return;
        }
        out.printf(" %d) %s|  %s%s {\n", cpu, " ".repeat(14), indent, name);
        java.util.List<Node> children = n.children();
        java.util.List<String> shapes = condensed ? children.stream().map(FunctionGraph::shape).toList() : null;
        for (int i = 0; i < children.size(); ) {
            int period = condensed ? period(shapes, i) : 1;
            for (int k = i; k < i + period; k++) {
                node(children.get(k), depth + 1, cpu);
            }
            int j = i + period;
            if (condensed) {
                long nanos = 0;
                int more = 0;
                while (j + period <= children.size() && shapes.subList(j, j + period).equals(shapes.subList(i, i + period))) {
                    for (int k = j; k < j + period; k++) {
                        nanos += children.get(k).durationNanos();
                    }
                    j += period;
                    more++;
                }
                if (more > 0) {
                    out.printf(" %d) %s|  %s/* ... %d more like %s, %s in all */\n", cpu, " ".repeat(14),
                            "  ".repeat(depth + 1), more, period == 1 ? "it" : "these " + period,
                            duration(nanos).substring(2).replace("|", "").trim());
                }
            }
            i = j;
        }
        out.printf(" %d) %s%s}\n", cpu, duration(n.durationNanos()), indent);
    }

    /** The length (1 to 4) of the group of calls at {@code i} that repeats most often right after itself. */
    private static int period(java.util.List<String> shapes, int i) {
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
    private static String shape(Node n) {
        return shape(n, 2);
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
