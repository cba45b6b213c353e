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
    private final Map<Long, Integer> cpuOfThread = new HashMap<>();
    private String lastTask;

    public FunctionGraph(PrintStream out) {
        this.out = out;
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
        for (Node c : n.children()) {
            node(c, depth + 1, cpu);
        }
        out.printf(" %d) %s%s}\n", cpu, duration(n.durationNanos()), indent);
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
