package dev.dmatrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.dmatrace.analyzer.RecordingAnalysis;
import dev.dmatrace.analyzer.findings.FindingSummary;
import dev.dmatrace.analyzer.findings.FindingSummary.Occurrence;
import dev.dmatrace.analyzer.findings.Severity;

/**
 * Every detector of the analyzer on real recordings: the shipped scenarios (and the small ones added for the
 * situations no shipped scenario showed) simulated in a forked JVM with the agent, the recording analysed through
 * {@code Analyzer.analyze}. Each finding must be raised with the evidence its detector promises; a clean run
 * raises none.
 */
class FindingsOnRealRecordingsTest {
    static final long K = 1024;
    static final long M = 1024 * K;
    static final int ENOMEM = -12;
    static final int EBUSY = -16;

    // arm44-coherent-vs-noncoherent: 4.4's __dma_alloc, a 512 KiB GFP_ATOMIC request bigger than the 256 KiB pool

    @Test
    void allocFailed_whenTheAtomicPoolCannotServeA512KiBRequest_andWhenTheDeviceHasNoMask() {
        List<Occurrence> occ = occurrences("arm44-coherent-vs-noncoherent", "ALLOC_FAILED", Severity.ERROR);
        assertThat(occ).extracting(o -> o.evidence().device(), o -> o.evidence().size())
                .containsExactlyInAnyOrder(tuple("noncoherent-dev", 512 * K), tuple("no-mask", 4 * K));
        assertThat(occ).allSatisfy(o -> assertThat(o.evidence().hopIds()).isNotEmpty());
        assertThat(occ).filteredOn(o -> o.evidence().device().equals("noncoherent-dev"))
                .singleElement().satisfies(o -> assertThat(o.message()).contains("atomic pool"));
    }

    @Test
    void atomicPoolExhausted_namesTheDeviceTheSizeAndThePoolHop() {
        Occurrence o = single("arm44-coherent-vs-noncoherent", "ATOMIC_POOL_EXHAUSTED", Severity.WARNING);
        assertThat(o.evidence().device()).isEqualTo("noncoherent-dev");
        assertThat(o.evidence().size()).isEqualTo(512 * K);
        // the allocation's hop and the pool function that returned NULL
        assertThat(o.evidence().hopIds()).hasSize(2);
        assertThat(o.message()).contains("returned NULL");
    }

    @Test
    void dmaLeak_listsExactlyTheBuffersNeverFreed() {
        List<Occurrence> occ = occurrences("arm44-coherent-vs-noncoherent", "DMA_LEAK", Severity.INFO);
        // the four successful allocations of the scenario; it frees none of them
        assertThat(occ).extracting(o -> o.evidence().device(), o -> o.evidence().size())
                .containsExactlyInAnyOrder(tuple("coherent-dev", 1 * M), tuple("noncoherent-dev", 1 * M),
                        tuple("coherent-dev", 16 * K), tuple("noncoherent-dev", 16 * K));
        assertThat(occ).allSatisfy(o -> assertThat(o.message()).contains("never freed"));
    }

    /**
     * The port's {@code dma_alloc_attrs(dev, size, dma_handle, flag, attrs)} keeps the kernel's parameter name
     * {@code flag}, so the recording carries {@code flag} / {@code flag_text}; the evidence must still name the gfp.
     */
    @Test
    void allocFailed_evidenceCarriesTheGfpFlagsOfTheRequest() {
        List<Occurrence> occ = occurrences("arm44-coherent-vs-noncoherent", "ALLOC_FAILED", Severity.ERROR);
        assertThat(occ).extracting(o -> o.evidence().device(), o -> o.evidence().gfp())
                .contains(tuple("noncoherent-dev", "GFP_ATOMIC"), tuple("no-mask", "GFP_KERNEL"));
    }

    // arm44-free-leak: dma_free_coherent(eth, 32K) of a 64 KiB buffer

    @Test
    void badFree_namesTheWrongSize_andPointsAtTheFreeAndTheAllocation() {
        Occurrence o = single("arm44-free-leak", "BAD_FREE", Severity.ERROR);
        assertThat(o.evidence().device()).isEqualTo("eth");
        assertThat(o.evidence().size()).isEqualTo(32 * K);
        assertThat(o.message()).contains("with size 32768, allocated with size 65536");
        assertThat(o.evidence().hopIds()).hasSize(2).doesNotHaveDuplicates();
    }

    // oracle-p3-exhaust-6.1: a 32 MiB CMA area filled with 16+8+4+2 MiB

    @Test
    void cmaNoSpace_forThe4MiBAndThe8MiBRequestsThatNoLongerFit() {
        List<Occurrence> occ = occurrences("oracle-p3-exhaust-6.1", "CMA_NO_SPACE", Severity.WARNING);
        assertThat(occ).extracting(o -> o.evidence().device(), o -> o.evidence().size(), o -> o.evidence().errno())
                .containsExactlyInAnyOrder(tuple("dma-oracle", 4 * M, ENOMEM), tuple("dma-oracle", 8 * M, ENOMEM));
        assertThat(occ).extracting(Occurrence::message)
                .anySatisfy(m -> assertThat(m).contains("no free range of 1024 pages"))
                .anySatisfy(m -> assertThat(m).contains("no free range of 2048 pages"));
    }

    @Test
    void buddyFallback_whenCmaIsFull_the4MiBBufferComesFromTheBuddyAllocator() {
        Occurrence o = single("oracle-p3-exhaust-6.1", "BUDDY_FALLBACK", Severity.WARNING);
        assertThat(o.evidence().device()).isEqualTo("dma-oracle");
        assertThat(o.evidence().size()).isEqualTo(4 * M);
        assertThat(o.message()).contains("served by buddy");
        // the allocation and the cma_alloc that failed
        assertThat(o.evidence().hopIds()).hasSize(2);
    }

    @Test
    void allocFailed_carriesTheChainOfReasons_cmaThenBuddy() {
        Occurrence o = single("oracle-p3-exhaust-6.1", "ALLOC_FAILED", Severity.ERROR);
        assertThat(o.evidence().size()).isEqualTo(8 * M);
        assertThat(o.message()).contains("CMA area").contains("buddy allocator");
    }

    // pool-exhaustion: a 4 MiB no-map shared-dma-pool filled, then 4 KiB and (after a free) 1 MiB refused

    @Test
    void devicePoolExhausted_forBothRequestsThePoolRefused() {
        List<Occurrence> occ = occurrences("pool-exhaustion", "DEVICE_POOL_EXHAUSTED", Severity.WARNING);
        assertThat(occ).extracting(o -> o.evidence().device(), o -> o.evidence().size())
                .containsExactlyInAnyOrder(tuple("vpu", 4 * K), tuple("vpu", 1 * M));
        assertThat(occ).allSatisfy(o -> assertThat(o.evidence().hopIds()).hasSize(2));
        assertThat(occurrences("pool-exhaustion", "ALLOC_FAILED", Severity.ERROR)).hasSize(2);
    }

    // migration-short-pins: short pins in a filled CMA area outlast migrate_pages()'s passes

    @Test
    void cmaBusyRetry_everyBusyRangeAsEvidence_asManyAsTheSimulatorCounted() {
        Occurrence o = single("migration-short-pins", "CMA_BUSY_RETRY", Severity.INFO);
        FrameRow frame = frameRow();
        assertThat(o.evidence().device()).isEqualTo("isp");
        assertThat(o.evidence().size()).isEqualTo(8 * M);
        assertThat(o.evidence().errno()).isEqualTo(EBUSY);
        assertThat(o.message()).contains(frame.busy + " busy range(s) for 2048 pages, then succeeded");
        assertThat(o.evidence().pfnRanges()).hasSize(frame.busy).allSatisfy(r -> {
            long[] se = range(r);
            assertThat(se[1] - se[0]).isEqualTo(2048);
            // every busy window lies before the one that was finally allocated
            assertThat(se[0]).isLessThan(frame.pfn);
        });
    }

    @Test
    void isolationFailed_givesThePfnRangeAndEbusy() {
        List<Occurrence> occ = occurrences("migration-short-pins", "ISOLATION_FAILED", Severity.WARNING);
        assertThat(occ).isNotEmpty().allSatisfy(o -> {
            assertThat(o.evidence().device()).isEqualTo("isp");
            assertThat(o.evidence().size()).isEqualTo(8 * M);
            assertThat(o.evidence().errno()).isEqualTo(EBUSY);
            assertThat(o.evidence().pfnRanges()).singleElement()
                    .satisfies(r -> assertThat(range(r)[1]).isGreaterThan(range(r)[0]));
        });
    }

    @Test
    void migrationFailed_pagesNotMigrated_inThe8MiBAllocation() {
        List<Occurrence> occ = occurrences("migration-short-pins", "MIGRATION_FAILED", Severity.WARNING);
        assertThat(occ).isNotEmpty().allSatisfy(o -> {
            assertThat(o.evidence().device()).isEqualTo("isp");
            assertThat(o.evidence().size()).isEqualTo(8 * M);
            assertThat(o.message()).containsAnyOf("not migrated", "returned -EBUSY", "nr_failed");
            // the allocation and the migration hop that failed
            assertThat(o.evidence().hopIds()).hasSize(2);
        });
    }

    @Test
    void slowAlloc_theAllocationThatMigratedHundredsOfPages_isTheSlowest() {
        List<Occurrence> occ = occurrences("migration-short-pins", "SLOW_ALLOC", Severity.WARNING);
        // no timing figure is asserted: only which allocation is the worst and what the evidence names
        Occurrence worst = occ.get(0);
        assertThat(worst.evidence().device()).isEqualTo("isp");
        assertThat(worst.evidence().size()).isEqualTo(8 * M);
        assertThat(worst.evidence().hopIds()).hasSizeBetween(1, 2);
        assertThat(worst.message()).contains("median");
    }

    /**
     * A JVM still loading and compiling makes the first call through a path slow: 4 KiB buddy pages here, 64 KiB
     * device-pool hits in pool-exhaustion took 0.4-4 ms against a ~30 us median. SLOW_ALLOC also asks for more
     * work (calls) than the median, so only the allocation that migrated is flagged.
     */
    @Test
    void slowAlloc_flagsOnlyTheAllocationThatMigrated() {
        assertThat(occurrences("migration-short-pins", "SLOW_ALLOC", Severity.WARNING))
                .allSatisfy(o -> assertThat(o.evidence().size()).isEqualTo(8 * M));
    }

    @Test
    void migrationShortPins_freesEverything_soNoLeakAndNoBadFree() {
        RecordingAnalysis a = Recordings.analysis("migration-short-pins");
        assertThat(a.findings()).extracting(FindingSummary::id)
                .doesNotContain("DMA_LEAK", "BAD_FREE", "ALLOC_FAILED", "BUDDY_FALLBACK", "CMA_NO_SPACE");
    }

    // clean-run: a device-pool, a CMA, a buddy and an atomic-pool buffer, all freed

    @Test
    void cleanRun_raisesNoFinding() {
        Recordings.Recording r = Recordings.of("clean-run");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("result: as expected").contains("device pool").contains("CMA reserved")
                .contains("buddy DMA").contains("atomic pool");
        RecordingAnalysis a = Recordings.analysis("clean-run");
        assertThat(a.allocations()).isEqualTo(4);
        assertThat(a.failedAllocations()).isZero();
        assertThat(a.findings()).as("findings of a clean run").isEmpty();
    }

    @Test
    void everyDetectorFires_onSomeShippedScenario() {
        List<String> ids = List.of("arm44-coherent-vs-noncoherent", "arm44-free-leak", "oracle-p3-exhaust-6.1",
                "pool-exhaustion", "migration-short-pins").stream()
                .flatMap(n -> Recordings.analysis(n).findings().stream()).map(FindingSummary::id).distinct().toList();
        assertThat(ids).containsExactlyInAnyOrder("BUDDY_FALLBACK", "ISOLATION_FAILED", "MIGRATION_FAILED",
                "CMA_BUSY_RETRY", "CMA_NO_SPACE", "DEVICE_POOL_EXHAUSTED", "ATOMIC_POOL_EXHAUSTED", "ALLOC_FAILED",
                "SLOW_ALLOC", "DMA_LEAK", "BAD_FREE");
    }

    private static List<Occurrence> occurrences(String scenario, String id, Severity severity) {
        RecordingAnalysis a = Recordings.analysis(scenario);
        assertThat(a.recording().problems()).as("problems reading %s", scenario).isEmpty();
        FindingSummary f = a.findings().stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
        assertThat(f).as("%s on %s (found: %s)", id, scenario,
                a.findings().stream().map(FindingSummary::id).toList()).isNotNull();
        assertThat(f.severity()).isEqualTo(severity);
        assertThat(f.explanation()).isNotBlank();
        assertThat(f.count()).isEqualTo(Math.max(f.count(), f.occurrences().size()));
        assertThat(f.occurrences()).isNotEmpty().allSatisfy(o -> {
            assertThat(o.rootHopId()).isPositive();
            assertThat(o.evidence()).isNotNull();
        });
        return f.occurrences();
    }

    private static Occurrence single(String scenario, String id, Severity severity) {
        List<Occurrence> occ = occurrences(scenario, id, severity);
        assertThat(occ).as("%s on %s", id, scenario).hasSize(1);
        return occ.get(0);
    }

    private static final Pattern RANGE = Pattern.compile("\\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)");

    private static long[] range(String r) {
        Matcher m = RANGE.matcher(r);
        assertThat(m.matches()).as("pfn range %s", r).isTrue();
        return new long[] {Long.parseLong(m.group(1), 16), Long.parseLong(m.group(2), 16)};
    }

    /** The simulator's own row of the 8 MiB allocation: where it landed and how many busy ranges it counted. */
    private record FrameRow(long pfn, int busy) {}

    private static final Pattern FRAME = Pattern.compile(
            "frame\\s+8 MiB\\s+GFP_KERNEL\\s+CMA reserved\\s+0x([0-9a-f]+)\\s+(\\d+)\\s+(\\d+)\\s");

    private static FrameRow frameRow() {
        Matcher m = FRAME.matcher(Recordings.of("migration-short-pins").stdout());
        assertThat(m.find()).as("the 8 MiB frame row in the simulator's output").isTrue();
        return new FrameRow(Long.parseLong(m.group(1), 16) >> 12, Integer.parseInt(m.group(3)));
    }
}
