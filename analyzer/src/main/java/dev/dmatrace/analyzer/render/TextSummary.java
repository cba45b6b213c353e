package dev.dmatrace.analyzer.render;

import java.io.PrintStream;
import java.util.Map;

import dev.dmatrace.analyzer.RecordingAnalysis;
import dev.dmatrace.analyzer.findings.AllocationSummary;
import dev.dmatrace.analyzer.findings.FindingSummary;
import dev.dmatrace.analyzer.read.Problem;
import dev.dmatrace.analyzer.read.ReadSummary;
import dev.dmatrace.analyzer.tree.CallTree;
import dev.dmatrace.analyzer.tree.Node;

/**
 * The summary a person reads first: what was read (and lost), where the allocations came from, the findings with
 * one example tree each, and the slowest allocations.
 */
public final class TextSummary {
    /** About how many lines an example tree may take. */
    static final int EXAMPLE_LINES = 40;

    private final PrintStream out;

    public TextSummary(PrintStream out) {
        this.out = out;
    }

    public void print(RecordingAnalysis a) {
        ReadSummary r = a.recording();
        out.printf("== %s%n", r.path());
        out.printf("read: %d hops in %d chunk(s), %d bytes; %d call trees (%d unfinished, %d hops without their "
                + "caller)%n", r.hops(), r.chunksRead(), r.fileBytes(), a.trees(), a.unfinishedTrees(),
                a.unfinishedHops());
        if (r.agentVersion() != null || r.schemaVersion() > 0) {
            out.printf("agent: %s, event schema %d%s%n", r.agentVersion() == null ? "?" : r.agentVersion(),
                    r.schemaVersion(), r.agentStats().isEmpty() ? "" : ", " + r.agentStats());
        }
        if (r.chunksDamaged() > 0 || r.bytesLost() > 0) {
            out.printf("lost: %d chunk(s), %d bytes%n", r.chunksDamaged(), r.bytesLost());
        }
        for (Problem p : r.problems()) {
            out.printf("%s: %s%n", p.fatal() ? "error" : "warning", p.message());
        }
        out.println();
        if (r.hops() == 0) {
            return;
        }
        out.printf("allocations: %d (%d failed)%n", a.allocations(), a.failedAllocations());
        for (Map.Entry<String, Long> e : a.paths().entrySet()) {
            out.printf("  %8d  %s%n", e.getValue(), e.getKey());
        }
        out.println();
        if (a.findings().isEmpty()) {
            out.println("findings: none");
        } else {
            out.println("findings:");
            for (FindingSummary f : a.findings()) {
                out.printf("  %-7s %-22s %6d  %s%n", f.severity(), f.id(), f.count(), f.explanation());
            }
            for (FindingSummary f : a.findings()) {
                example(f, r);
            }
        }
        if (!a.worst().isEmpty()) {
            out.printf("%nslowest allocations:%n");
            for (AllocationSummary w : a.worst()) {
                out.printf("  %14s  hop %-8d %-12s %10s  %s%s%n", FunctionGraph.duration(w.durationNanos())
                        .replace("|", "").trim(), w.hopId(), w.device() == null ? "?" : w.device(),
                        w.size() == null ? "?" : w.size(), w.where(),
                        w.reasons().isEmpty() ? "" : " (" + String.join("; ", w.reasons()) + ")");
            }
        }
        out.println();
    }

    /**
     * A finding's first occurrence with its tree, opened along the way to the evidence hops and folded beyond
     * {@value #EXAMPLE_LINES} lines or so: the summary stays readable, and the whole tree is one command away.
     */
    private void example(FindingSummary f, ReadSummary r) {
        Node tree = f.exampleTree();
        FindingSummary.Occurrence o = f.occurrences().get(0);
        for (FindingSummary.Occurrence c : f.occurrences()) {
            if (tree != null && c.rootHopId() == tree.id()) {
                o = c;
                break;
            }
        }
        out.printf("%n-- %s (%d): %s%n", f.id(), f.count(), o.message());
        if (tree == null) {
            return;
        }
        if (new FunctionGraph(out, true).focusedTree(new CallTree(tree, true, 0), o.evidence().hopIds(),
                EXAMPLE_LINES)) {
            out.printf("   (a call printed with \";\" may have callees: folded to one line with its total time; "
                    + "the whole tree: dmatrace tree %s --root %d)%n", r.path(), tree.id());
        }
    }
}
