package dev.dmatrace.benchmarks.agent;

import dev.dmatrace.kernel.KernelFunction;

/** The method every variant runs: small, kernel-shaped (size and order in, pfn out). */
public class AllocTarget {

    private long next = 0x1000;

    @KernelFunction(symbol = "bench_alloc_pages", file = "mm/bench.c")
    public long allocPages(long size, int order) {
        long pfn = next;
        next += (size >>> 12) + order;
        return pfn;
    }
}
