package dev.dmatrace.analyzer.findings;

/** A buffer that was allocated and never freed before the recording ended. */
public final class DmaLeak implements Detector {
    private final BufferLedger ledger;

    public DmaLeak(BufferLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String id() {
        return "DMA_LEAK";
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public String explanation() {
        return "a coherent buffer was still allocated when the recording ended (no dma_free_coherent() with its "
                + "device and CPU address): a leak if the driver was done with it";
    }

    @Override
    public void inspect(TreeFacts facts, Occurrences out) {
        ledger.record(facts);
    }

    @Override
    public void finish(Occurrences out) {
        ledger.settle();
        for (BufferLedger.Buffer b : ledger.live()) {
            out.add(() -> finding(String.format("%s: %d bytes at 0x%x never freed", b.device(), b.size(),
                    b.cpuAddr()), Evidence.builder().allocation(b.alloc()).build(), b.facts()));
        }
    }
}
