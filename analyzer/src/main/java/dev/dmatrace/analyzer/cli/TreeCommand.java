package dev.dmatrace.analyzer.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.Progress;
import dev.dmatrace.analyzer.render.FunctionGraph;
import dev.dmatrace.analyzer.tree.CallTree;
import dev.dmatrace.analyzer.tree.TreeSummary;

@Command(name = "tree", mixinStandardHelpOptions = true,
        description = {"Call trees of one recording: one summary line per tree, or the trees themselves in ftrace "
                + "function_graph layout with --root or --worst."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "2:bad input, or no tree with that root id"})
final class TreeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REC", description = "the recording")
    Path recording;

    @ArgGroup(exclusive = true)
    Choice choice;

    static final class Choice {
        @Option(names = "--root", paramLabel = "ID", description = "the tree whose root hop has this id")
        Long root;

        @Option(names = "--worst", paramLabel = "N", description = "the N slowest trees")
        Integer worst;
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        Progress progress = Progress.forFiles(List.of(recording));
        Analyzer.TreeStream s;
        if (choice == null) {
            out.printf("%-10s %-28s %-16s %-14s %12s %14s %-12s %s%n", "ROOT", "FUNCTION", "THREAD", "DEVICE",
                    "SIZE", "DURATION(ns)", "RESULT", "HOPS");
            s = Analyzer.trees(recording, t -> {
                TreeSummary ts = TreeSummary.of(t);
                out.printf("%-10d %-28s %-16s %-14s %12s %14d %-12s %d%s%n", ts.rootHopId(), ts.rootSymbol(),
                        ts.thread(), ts.device() == null ? "-" : ts.device(), ts.size() == null ? "-" : ts.size(),
                        ts.durationNanos(), ts.result(), ts.hops(), ts.complete() ? "" : " (unfinished)");
            }, progress.forFile(recording));
        } else if (choice.root != null) {
            List<CallTree> found = new ArrayList<>();
            s = Analyzer.trees(recording, t -> {
                if (t.rootId() == choice.root) {
                    found.add(t);
                }
            }, progress.forFile(recording));
            progress.done();
            if (found.isEmpty() && !s.read().fatal()) {
                System.err.printf("dmatrace: %s: no call tree has root hop %d%n", recording, choice.root);
                return AnalyzerMain.BAD_INPUT;
            }
            print(out, found);
        } else {
            int n = Math.max(1, choice.worst);
            PriorityQueue<CallTree> worst = new PriorityQueue<>(Comparator.comparingLong(CallTree::durationNanos));
            s = Analyzer.trees(recording, t -> {
                if (worst.size() < n || t.durationNanos() > worst.peek().durationNanos()) {
                    worst.add(t);
                    if (worst.size() > n) {
                        worst.poll();
                    }
                }
            }, progress.forFile(recording));
            List<CallTree> sorted = new ArrayList<>(worst);
            sorted.sort(Comparator.comparingLong(CallTree::durationNanos).reversed());
            progress.done();
            print(out, sorted);
        }
        progress.done();
        return Problems.report(s.read());
    }

    private static void print(PrintStream out, List<CallTree> trees) {
        FunctionGraph g = new FunctionGraph(out);
        g.header();
        trees.forEach(g::tree);
    }
}
