package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Counts allocations per path taken ("CMA area reserved", "buddy zone DMA32", "failed" ...) and keeps the slowest. */
public final class Verdicts implements Consumer<TreeFacts> {
    private final int worstKept;
    private final Map<String, Long> byWhere = new TreeMap<>();
    private final PriorityQueue<AllocationSummary> worst =
            new PriorityQueue<>(Comparator.comparingLong(AllocationSummary::durationNanos));
    private long allocations;
    private long failed;

    public Verdicts(int worstKept) {
        this.worstKept = worstKept;
    }

    @Override
    public void accept(TreeFacts facts) {
        for (Allocation a : facts.allocations()) {
            allocations++;
            if (a.failed()) {
                failed++;
            }
            byWhere.merge(a.where(), 1L, Long::sum);
            if (worst.size() < worstKept || a.durationNanos() > worst.peek().durationNanos()) {
                worst.add(AllocationSummary.of(a, facts));
                if (worst.size() > worstKept) {
                    worst.poll();
                }
            }
        }
    }

    public long allocations() {
        return allocations;
    }

    public long failed() {
        return failed;
    }

    public Map<String, Long> byWhere() {
        return byWhere;
    }

    /** The slowest allocations, slowest first. */
    public List<AllocationSummary> worst() {
        List<AllocationSummary> out = new ArrayList<>(worst);
        out.sort(Comparator.comparingLong(AllocationSummary::durationNanos).reversed());
        return out;
    }
}
