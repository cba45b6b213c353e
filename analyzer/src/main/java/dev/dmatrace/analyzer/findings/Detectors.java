package dev.dmatrace.analyzer.findings;

import java.util.List;

/** The detectors of one analysis, fresh per recording because some keep state across trees. */
public final class Detectors {
    private Detectors() {}

    public static List<Detector> all() {
        BufferLedger ledger = new BufferLedger();
        return List.of(
                new AllocFailed(),
                new BuddyFallback(),
                new CmaNoSpace(),
                new CmaBusyRetry(),
                new IsolationFailed(),
                new MigrationFailed(),
                new DevicePoolExhausted(),
                new AtomicPoolExhausted(),
                new SlowAlloc(),
                new BadFree(ledger),
                new DmaLeak(ledger));
    }
}
