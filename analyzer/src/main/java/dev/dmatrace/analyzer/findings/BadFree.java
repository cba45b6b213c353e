package dev.dmatrace.analyzer.findings;

import dev.dmatrace.analyzer.read.Hop;

/** A free of a buffer that is not live (never allocated, or freed twice), or with a size other than the allocation's. */
public final class BadFree implements Detector {
    private final BufferLedger ledger;

    public BadFree(BufferLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String id() {
        return "BAD_FREE";
    }

    @Override
    public Severity severity() {
        return Severity.ERROR;
    }

    @Override
    public String explanation() {
        return "dma_free_coherent() was given a buffer that is not allocated (double free, wrong device or "
                + "address) or a size different from the allocation's; dma-debug would warn, the pool or buddy "
                + "state is now wrong";
    }

    @Override
    public void inspect(TreeFacts facts, Occurrences out) {
        ledger.record(facts);
    }

    @Override
    public void finish(Occurrences out) {
        ledger.settle();
        for (BufferLedger.Free f : ledger.unmatched()) {
            Hop h = f.hop();
            out.add(() -> finding(String.format("%s: free of 0x%x (%d bytes) that is not allocated",
                    h.str(Symbols.DEV), h.num(Symbols.CPU_ADDR, 0), h.num(Symbols.SIZE, -1)), evidence(h, f.hopId()),
                    f.facts()));
        }
        for (BufferLedger.Mismatch m : ledger.mismatches()) {
            Hop h = m.free().hop();
            out.add(() -> finding(String.format("%s: freed 0x%x with size %d, allocated with size %d",
                    h.str(Symbols.DEV), m.buffer().cpuAddr(), h.num(Symbols.SIZE, -1), m.buffer().size()),
                    Evidence.builder().device(h.str(Symbols.DEV)).size(h.num(Symbols.SIZE, -1))
                            .hop(m.free().hopId()).hop(m.buffer().hopId()).build(), m.free().facts()));
        }
    }

    private static Evidence evidence(Hop h, long hopId) {
        Evidence.Builder b = Evidence.builder().device(h.str(Symbols.DEV)).hop(hopId);
        long size = h.num(Symbols.SIZE, -1);
        if (size >= 0) {
            b.size(size);
        }
        return b.build();
    }
}
