package dev.dmatrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.tree.CallTree;
import dev.dmatrace.analyzer.tree.Node;

/**
 * The analyzer's call trees of a real multi-threaded recording: atomic-irq's {@code parallel:} step runs an
 * interrupt handler on cpu 1 and a worker on cpu 0 as two Java threads whose DMA API calls interleave. Each tree
 * the analyzer rebuilds is checked against the recording itself, read independently with {@code jdk.jfr.consumer}:
 * every hop hangs under the hop that called it, on the same thread, inside its time, one level deeper.
 */
class TreesOnRealRecordingTest {
    static final String SCENARIO = "atomic-irq";

    /** The raw facts of one hop event, keyed by hopId. */
    record Raw(boolean fn, String symbol, long parent, int depth, long thread, String threadName) {}

    static final Map<Long, Raw> RAW = new HashMap<>();
    static final List<CallTree> TREES = new ArrayList<>();
    static Analyzer.TreeStream stream;

    @BeforeAll
    static void readTheRecordingTwice() throws IOException {
        Recordings.Recording r = Recordings.of(SCENARIO);
        assertThat(r.exitCode()).isZero();
        for (RecordedEvent e : RecordingFile.readAllEvents(r.jfr())) {
            String name = e.getEventType().getName();
            if (name.startsWith("dmatrace.fn.") || name.startsWith("dmatrace.tp.")) {
                Raw prev = RAW.put(e.getLong("hopId"), new Raw(name.startsWith("dmatrace.fn."), name.substring("dmatrace.fn.".length()),
                        e.getLong("parentHopId"), e.getInt("depth"), e.getThread().getJavaThreadId(),
                        e.getThread().getJavaName()));
                assertThat(prev).as("hopId %d unique", e.getLong("hopId")).isNull();
            }
        }
        stream = Analyzer.trees(r.jfr(), TREES::add, bytes -> {});
    }

    @Test
    void everyHopOfTheRecordingIsInExactlyOneTree_andEveryTreeIsComplete() {
        assertThat(stream.unfinishedTrees()).isZero();
        assertThat(stream.unfinishedHops()).isZero();
        assertThat(stream.completeTrees()).isEqualTo(TREES.size());
        Set<Long> seen = new HashSet<>();
        for (CallTree t : TREES) {
            assertThat(t.complete()).isTrue();
            List<Node> nodes = nodes(t);
            assertThat(nodes).hasSize(t.hops());
            nodes.forEach(n -> assertThat(seen.add(n.id())).as("hop %d in one tree only", n.id()).isTrue());
        }
        assertThat(seen).isEqualTo(RAW.keySet());
    }

    @Test
    void everyHopsParentIsItsCaller_onTheSameThread_insideItsTime_oneLevelDeeper() {
        for (CallTree t : TREES) {
            Node root = t.root();
            Raw rr = RAW.get(root.id());
            assertThat(root.parent()).isNull();
            assertThat(rr.parent()).as("root %d has no recorded parent", root.id()).isZero();
            assertThat(rr.depth()).isZero();
            for (Node n : nodes(t)) {
                if (n == root) {
                    continue;
                }
                Raw c = RAW.get(n.id());
                Node p = n.parent();
                Raw pr = RAW.get(p.id());
                String what = c.symbol() + " (" + n.id() + ") under " + p.symbol() + " (" + p.id() + ")";
                assertThat(p.synthetic()).as(what).isFalse();
                assertThat(p.id()).as(what).isEqualTo(c.parent());
                if (c.fn()) {
                    assertThat(n.symbol()).as(what).isEqualTo(c.symbol());
                }
                assertThat(c.thread()).as("thread of " + what).isEqualTo(pr.thread());
                assertThat(c.depth()).as("depth of " + what).isEqualTo(pr.depth() + 1);
                assertThat(n.startNanos()).as("start of " + what).isGreaterThanOrEqualTo(p.startNanos());
                assertThat(n.startNanos() + n.durationNanos()).as("end of " + what)
                        .isLessThanOrEqualTo(p.startNanos() + p.durationNanos());
            }
        }
    }

    @Test
    void knownCallersAndCallees_ofTheDmaPath() {
        Map<String, Set<String>> callers = new HashMap<>();
        for (CallTree t : TREES) {
            for (Node n : nodes(t)) {
                if (n.parent() != null) {
                    callers.computeIfAbsent(n.symbol(), k -> new HashSet<>()).add(n.parent().symbol());
                }
            }
        }
        // kernel/dma/mapping.c -> direct.c -> contiguous.c -> mm/cma.c -> mm/page_alloc.c
        assertThat(callers.get("dma_direct_alloc")).as("callers of dma_direct_alloc")
                .containsOnly("dma_alloc_attrs");
        assertThat(callers.get("cma_alloc")).as("callers of cma_alloc").isNotEmpty()
                .isSubsetOf("dma_alloc_contiguous", "cma_alloc_aligned", "dma_alloc_from_contiguous");
        assertThat(callers.get("alloc_contig_range")).as("callers of alloc_contig_range").containsOnly("cma_alloc");
        assertThat(callers.get("dma_alloc_contiguous")).as("callers of dma_alloc_contiguous").isNotEmpty()
                .isSubsetOf("__dma_direct_alloc_pages", "dma_direct_alloc_pages", "dma_direct_alloc");
        // the atomic pool of a non-coherent device's GFP_ATOMIC request is reached from dma-direct
        assertThat(callers).containsKey("dma_alloc_from_pool");
        assertThat(callers.get("dma_alloc_from_pool")).as("callers of dma_alloc_from_pool")
                .allSatisfy(c -> assertThat(c).startsWith("dma_direct_alloc"));
    }

    @Test
    void rootsOnAtLeastTwoThreads_theParallelStepsCpus() {
        Map<String, Integer> allocRootsByThread = new HashMap<>();
        Set<Long> rootThreads = new HashSet<>();
        for (CallTree t : TREES) {
            Raw r = RAW.get(t.rootId());
            rootThreads.add(r.thread());
            if (t.root().symbol().equals("dma_alloc_attrs")) {
                allocRootsByThread.merge(r.threadName(), 1, Integer::sum);
            }
        }
        assertThat(rootThreads).hasSizeGreaterThanOrEqualTo(2);
        // cpu 1: 4 + 2 allocations, cpu 0: 2, then 1 more on the main thread
        assertThat(allocRootsByThread).hasSizeGreaterThanOrEqualTo(2);
        assertThat(allocRootsByThread.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(9);
        assertThat(allocRootsByThread.values()).contains(6, 2);
    }

    private static List<Node> nodes(CallTree t) {
        List<Node> out = new ArrayList<>();
        t.root().walk(out::add);
        return out;
    }
}
