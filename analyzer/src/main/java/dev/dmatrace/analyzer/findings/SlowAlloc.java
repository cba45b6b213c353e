package dev.dmatrace.analyzer.findings;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

import dev.dmatrace.analyzer.tree.Node;

/**
 * Allocations that took far longer than the recording's typical one: more than {@value #FACTOR} times the median
 * and more than 100 µs (ftrace's '!' mark), with at least {@value #WORK_FACTOR} times the median number of calls,
 * once at least {@value #MIN_SAMPLES} allocations were seen. Every allocation costs three longs and an int here;
 * the trees of only the {@value #KEEP} slowest are kept for evidence.
 */
public final class SlowAlloc implements Detector {
    static final int FACTOR = 10;
    static final int MIN_SAMPLES = 5;
    static final int KEEP = 32;
    static final long FLOOR_NANOS = 100_000;
    /**
     * A slow allocation must also have done far more work, at least this many times the median number of calls:
     * the simulated kernel's time comes from its work, while a JVM still compiling its code makes a first
     * allocation slow with about the calls of the rest (a first pageblock steal adds a few, not tenfold).
     */
    static final int WORK_FACTOR = 10;

    private long[] durations = new long[1024];
    private int[] calls = new int[1024];
    private long[] hopIds = new long[1024];
    private long[] rootIds = new long[1024];
    private int n;
    private final PriorityQueue<Slow> slowest = new PriorityQueue<>((a, b) -> Long.compare(a.duration, b.duration));

    private record Slow(long duration, Allocation alloc, TreeFacts facts) {}

    @Override
    public String id() {
        return "SLOW_ALLOC";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public String explanation() {
        return "this allocation took more than " + FACTOR + "x the median allocation of the recording, doing more "
                + "work (calls) than most; the evidence names the hop that took the time (usually migration inside "
                + "alloc_contig_range)";
    }

    @Override
    public void inspect(TreeFacts facts, Occurrences out) {
        for (Allocation a : facts.allocations()) {
            if (n == durations.length) {
                durations = Arrays.copyOf(durations, n * 2);
                calls = Arrays.copyOf(calls, n * 2);
                hopIds = Arrays.copyOf(hopIds, n * 2);
                rootIds = Arrays.copyOf(rootIds, n * 2);
            }
            durations[n] = a.durationNanos();
            calls[n] = a.node().size();
            hopIds[n] = a.hopId();
            rootIds[n] = facts.tree().rootId();
            n++;
            if (slowest.size() < KEEP || a.durationNanos() > slowest.peek().duration) {
                slowest.add(new Slow(a.durationNanos(), a, facts));
                if (slowest.size() > KEEP) {
                    slowest.poll();
                }
            }
        }
    }

    @Override
    public void finish(Occurrences out) {
        if (n < MIN_SAMPLES) {
            return;
        }
        long[] sorted = Arrays.copyOf(durations, n);
        Arrays.sort(sorted);
        long median = sorted[n / 2];
        long threshold = Math.max(FACTOR * median, FLOOR_NANOS);
        int[] sortedCalls = Arrays.copyOf(calls, n);
        Arrays.sort(sortedCalls);
        int medianCalls = sortedCalls[n / 2];
        Map<Long, Slow> kept = new HashMap<>();
        for (Slow s : slowest) {
            kept.put(s.alloc.hopId(), s);
        }
        // slowest first, so the report's first occurrences are the worst
        java.util.List<Integer> outliers = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (durations[i] > threshold && calls[i] >= WORK_FACTOR * medianCalls) {
                outliers.add(i);
            }
        }
        outliers.sort((a, b) -> Long.compare(durations[b], durations[a]));
        for (int i : outliers) {
            Slow s = kept.get(hopIds[i]);
            if (s == null) {
                out.add(() -> new Finding(id(), severity(), String.format("allocation took %s (median %s)",
                        us(durations[i]), us(median)), Evidence.builder().hop(hopIds[i]).build(), rootIds[i], null));
                continue;
            }
            out.add(() -> {
                Node culprit = culprit(s.alloc.node());
                return finding(String.format("%s took %s (median %s), %s of it in %s", BuddyFallback.dev(s.alloc),
                        us(durations[i]), us(median), us(culprit.durationNanos()), culprit.symbol()),
                        Evidence.builder().allocation(s.alloc).hop(culprit.id()).build(), s.facts);
            });
        }
    }

    /** The deepest hop that accounts for at least half of its caller's time. */
    static Node culprit(Node n) {
        Node cur = n;
        while (true) {
            Node big = null;
            for (Node c : cur.children()) {
                if (big == null || c.durationNanos() > big.durationNanos()) {
                    big = c;
                }
            }
            if (big == null || big.durationNanos() * 2 < cur.durationNanos()) {
                return cur;
            }
            cur = big;
        }
    }

    static String us(long nanos) {
        return String.format("%d.%03d us", nanos / 1000, nanos % 1000);
    }
}
