package dev.dmatrace.analyzer.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.testing.TestRecording;

/** Several threads call concurrently; every rebuilt hop must hang under the hop that really called it. */
class InterleavedThreadsTest {
    @TempDir
    Path dir;

    @Test
    void everyHopsParent_isTheHopThatCalledIt_underConcurrency() throws Exception {
        Map<Long, Long> callerOf = new ConcurrentHashMap<>();
        int threads = 6;
        int rootsPerThread = 40;
        try (TestRecording rec = new TestRecording()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    Random r = new Random(seed);
                    for (int i = 0; i < rootsPerThread; i++) {
                        callTree(rec, r, 0, callerOf);
                        if (i % 10 == 9) {
                            rec.newChunk();
                        }
                    }
                }, "worker-" + t);
                th.start();
                ts.add(th);
            }
            go.countDown();
            for (Thread th : ts) {
                th.join();
            }
            rec.dump(dir.resolve("r.jfr"));
        }

        List<CallTree> trees = new ArrayList<>();
        Analyzer.TreeStream s = Analyzer.trees(dir.resolve("r.jfr"), trees::add, b -> { });
        assertThat(s.read().problems()).isEmpty();
        assertThat(trees).hasSize(threads * rootsPerThread).allMatch(CallTree::complete);
        int[] seen = {0};
        for (CallTree t : trees) {
            t.root().walk(n -> {
                seen[0]++;
                long expected = callerOf.get(n.id());
                assertThat(n.parent() == null ? 0L : n.parent().id()).as("caller of hop %d", n.id())
                        .isEqualTo(expected);
                assertThat(n.hop().threadName()).isEqualTo(t.root().hop().threadName());
                for (int i = 1; i < n.children().size(); i++) {
                    assertThat(n.children().get(i).startNanos())
                            .isGreaterThanOrEqualTo(n.children().get(i - 1).startNanos());
                }
            });
        }
        assertThat(seen[0]).isEqualTo(callerOf.size());
    }

    private static long callTree(TestRecording rec, Random r, int depth, Map<Long, Long> callerOf) {
        TestRecording.Call c = rec.call(depth == 0 ? "dma_alloc_coherent" : "fn_" + depth, long.class,
                "depth_arg", depth);
        callerOf.put(c.hopId(), c.parentHopId());
        int kids = depth >= 4 ? 0 : r.nextInt(3);
        for (int k = 0; k < kids; k++) {
            callTree(rec, r, depth + 1, callerOf);
            if (r.nextBoolean()) {
                Thread.yield();
            }
        }
        return c.ret((long) depth);
    }
}
