package dev.dmatrace.analyzer.findings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.RecordingAnalysis;
import dev.dmatrace.analyzer.testing.Scenarios;
import dev.dmatrace.analyzer.testing.TestRecording;

/** Each detector fires on a real recording of its situation, and on nothing else. */
class DetectorsTest {
    @TempDir
    Path dir;

    private RecordingAnalysis record(Consumer<Scenarios> workload) throws Exception {
        Path f = dir.resolve("r.jfr");
        try (TestRecording rec = new TestRecording()) {
            rec.schema(1, "test");
            workload.accept(new Scenarios(rec));
            rec.dump(f);
        }
        RecordingAnalysis a = Analyzer.analyze(f, b -> { });
        assertThat(a.recording().problems()).isEmpty();
        return a;
    }

    private static Map<String, Long> counts(RecordingAnalysis a) {
        return a.findings().stream().collect(Collectors.toMap(FindingSummary::id, FindingSummary::count));
    }

    private static FindingSummary finding(RecordingAnalysis a, String id) {
        return a.findings().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void cleanRecording_raisesNothing() throws Exception {
        RecordingAnalysis a = record(s -> {
            long x = s.cmaAlloc("vpu", 1 << 20, 0, 0x10000);
            long y = s.devicePool("isp", 1 << 16, 0x8000);
            long z = s.atomicPool("usb", 4096, 0x9000);
            s.free("vpu", 1 << 20, x);
            s.free("isp", 1 << 16, y);
            s.free("usb", 4096, z);
        });
        assertThat(a.findings()).isEmpty();
        assertThat(a.allocations()).isEqualTo(3);
        assertThat(a.paths()).containsOnly(Map.entry("CMA area reserved", 1L),
                Map.entry("device pool of isp", 1L), Map.entry("atomic pool", 1L));
    }

    @Test
    void cmaFailsAfterBusyRanges_thenBuddy_isBuddyFallbackWithBusyRetryIsolationAndMigration() throws Exception {
        RecordingAnalysis a = record(s -> s.free("gpu", 1 << 21, s.cmaFailsThenBuddy("gpu", 1 << 21, 2, true,
                0x5000)));
        assertThat(counts(a)).containsOnly(Map.entry("BUDDY_FALLBACK", 1L), Map.entry("CMA_BUSY_RETRY", 1L),
                Map.entry("ISOLATION_FAILED", 2L), Map.entry("MIGRATION_FAILED", 2L));
        assertThat(a.paths()).containsOnly(Map.entry("buddy zone Normal", 1L));
        FindingSummary fallback = finding(a, "BUDDY_FALLBACK");
        assertThat(fallback.severity()).isEqualTo(Severity.WARNING);
        assertThat(fallback.occurrences().get(0).message())
                .contains("gpu").contains("every candidate range was busy").contains("buddy zone Normal");
        assertThat(fallback.occurrences().get(0).evidence().device()).isEqualTo("gpu");
        assertThat(fallback.occurrences().get(0).evidence().size()).isEqualTo(1L << 21);
        assertThat(fallback.exampleTree()).isNotNull();
        Evidence busy = finding(a, "CMA_BUSY_RETRY").occurrences().get(0).evidence();
        assertThat(busy.pfnRanges()).containsExactly("[0x40000, 0x40200)", "[0x40100, 0x40300)");
        assertThat(busy.errno()).isEqualTo(-16);
        assertThat(finding(a, "ISOLATION_FAILED").occurrences().get(0).evidence().pfnRanges())
                .containsExactly("[0x40000, 0x40200)");
    }

    @Test
    void busyRetries_withoutTracepoints_areCountedFromEbusyReturns() throws Exception {
        Path f = dir.resolve("old.jfr");
        try (TestRecording rec = new TestRecording()) {
            // 5.10: no cma_alloc_busy_retry tracepoint, only alloc_contig_range returning -EBUSY
            TestRecording.Call cma = rec.call("cma_alloc", long.class, "cma", "reserved", "count", 16L, "align", 4);
            rec.call("alloc_contig_range", int.class, "start", 0x100L, "end", 0x110L).ret(-16);
            rec.call("alloc_contig_range", int.class, "start", 0x110L, "end", 0x120L).ret(-16);
            rec.call("alloc_contig_range", int.class, "start", 0x120L, "end", 0x130L).ret(0);
            cma.ret(0x120L);
            rec.dump(f);
        }
        RecordingAnalysis a = Analyzer.analyze(f, b -> { });
        assertThat(counts(a)).containsOnly(Map.entry("CMA_BUSY_RETRY", 1L));
        assertThat(finding(a, "CMA_BUSY_RETRY").occurrences().get(0).message()).contains("2 busy range(s)")
                .contains("succeeded");
    }

    @Test
    void cmaWithoutSpace_andBuddyFailing_isNoSpaceAndAllocFailedWithReasons() throws Exception {
        RecordingAnalysis a = record(s -> s.cmaFailsThenBuddy("dsp", 8 << 20, 0, false, -1));
        assertThat(counts(a)).containsOnly(Map.entry("CMA_NO_SPACE", 1L), Map.entry("ALLOC_FAILED", 1L));
        FindingSummary failed = finding(a, "ALLOC_FAILED");
        assertThat(failed.severity()).isEqualTo(Severity.ERROR);
        assertThat(failed.occurrences().get(0).message())
                .contains("CMA area reserved has no free range of 2048 pages")
                .contains("buddy allocator has no free block of order 11");
        assertThat(a.failedAllocations()).isEqualTo(1);
        assertThat(a.worstSeverity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void fullDevicePool_isDevicePoolExhausted() throws Exception {
        RecordingAnalysis a = record(s -> s.devicePool("isp", 1 << 20, -1));
        assertThat(counts(a)).containsOnly(Map.entry("DEVICE_POOL_EXHAUSTED", 1L), Map.entry("ALLOC_FAILED", 1L));
        assertThat(finding(a, "ALLOC_FAILED").occurrences().get(0).message())
                .contains("device pool of isp has no free region");
    }

    @Test
    void fullAtomicPool_isAtomicPoolExhausted() throws Exception {
        RecordingAnalysis a = record(s -> s.atomicPool("usb", 8192, -1));
        assertThat(counts(a)).containsOnly(Map.entry("ATOMIC_POOL_EXHAUSTED", 1L), Map.entry("ALLOC_FAILED", 1L));
    }

    @Test
    void oneAllocationFarSlowerThanTheOthers_isSlowAlloc_namingTheMigrationPath() throws Exception {
        RecordingAnalysis a = record(s -> {
            for (int i = 0; i < 9; i++) {
                s.free("cam", 1 << 16, s.cmaAlloc("cam", 1 << 16, 0, 0x1000L * i));
            }
            s.free("cam", 1 << 20, s.slowCmaAlloc("cam", 1 << 20, 0x20000, 100_000_000));
        });
        // a loaded machine may make a fast one slow too; the slowest is reported first
        assertThat(counts(a)).containsOnlyKeys("SLOW_ALLOC");
        // the culprit is migrate_pages, or its caller when the machine's load stretched the rest of it too
        assertThat(finding(a, "SLOW_ALLOC").occurrences().get(0).message())
                .matches(".* in (migrate_pages|alloc_contig_range)");
        assertThat(a.worst().get(0).durationNanos()).isGreaterThanOrEqualTo(30_000_000);
    }

    @Test
    void bufferNeverFreed_isDmaLeak_andFreeOfUnknownOrWrongSize_isBadFree() throws Exception {
        RecordingAnalysis a = record(s -> {
            s.cmaAlloc("vpu", 1 << 20, 0, 0x10000);                         // never freed
            long b = s.cmaAlloc("vpu", 1 << 20, 0, 0x20000);
            s.free("vpu", 1 << 19, b);                                        // wrong size
            s.free("vpu", 1 << 20, Scenarios.cpuAddr(0x30000));              // never allocated
        });
        assertThat(counts(a)).containsOnly(Map.entry("DMA_LEAK", 1L), Map.entry("BAD_FREE", 2L));
        assertThat(finding(a, "DMA_LEAK").occurrences().get(0).message()).contains("never freed");
        assertThat(finding(a, "BAD_FREE").occurrences()).extracting(FindingSummary.Occurrence::message)
                .anyMatch(m -> m.contains("not allocated"))
                .anyMatch(m -> m.contains("size 524288, allocated with size 1048576"));
    }

    @Test
    void arm44Chain_throughDmaAllocFromContiguous_isACmaVerdict() throws Exception {
        Path f = dir.resolve("arm.jfr");
        long addr = Scenarios.cpuAddr(0x30000);
        try (TestRecording rec = new TestRecording()) {
            // 4.4 ARM: dma_alloc_attrs -> arm_dma_alloc -> __dma_alloc -> __alloc_from_contiguous -> cma_alloc
            TestRecording.Call e = rec.call("dma_alloc_coherent", long.class, "dev", "ipu", "size", 1L << 20,
                    "gfp_text", "GFP_KERNEL");
            TestRecording.Call attrs = rec.call("dma_alloc_attrs", long.class, "dev", "ipu", "size", 1L << 20);
            TestRecording.Call arm = rec.call("arm_dma_alloc", long.class, "dev", "ipu", "size", 1L << 20);
            TestRecording.Call dma = rec.call("__dma_alloc", long.class, "dev", "ipu", "size", 1L << 20);
            TestRecording.Call from = rec.call("__alloc_from_contiguous", long.class, "dev", "ipu", "size",
                    1L << 20);
            TestRecording.Call contig = rec.call("dma_alloc_from_contiguous", long.class, "dev", "ipu", "count",
                    256L, "align", 8);
            TestRecording.Call cma = rec.call("cma_alloc", long.class, "cma", "linux,cma", "count", 256L, "align", 8);
            rec.call("alloc_contig_range", int.class, "start", 0x30000L, "end", 0x30100L).ret(0);
            rec.tp("cma_alloc", "pfn", 0x30000L, "page", 0x30000L, "count", 256, "align", 8);
            cma.ret(0x30000L);
            contig.ret(0x30000L);
            from.ret(addr);
            dma.ret(addr);
            arm.ret(addr);
            attrs.ret(addr);
            e.ret(addr);
            rec.dump(f);
        }
        RecordingAnalysis a = Analyzer.analyze(f, b -> { });
        assertThat(a.paths()).containsOnly(Map.entry("CMA area linux,cma", 1L));
        assertThat(counts(a)).containsOnly(Map.entry("DMA_LEAK", 1L));
    }

    @Test
    void migrationFailureSeenOnlyInItsTracepoint_isMigrationFailed() throws Exception {
        Path f = dir.resolve("tp.jfr");
        try (TestRecording rec = new TestRecording()) {
            TestRecording.Call acr = rec.call("alloc_contig_range", int.class, "start", 0x100L, "end", 0x200L);
            rec.tp("mm_migrate_pages", "succeeded", 30L, "failed", 2L, "mode", 2, "reason", 6);
            acr.ret(-16);
            rec.dump(f);
        }
        RecordingAnalysis a = Analyzer.analyze(f, b -> { });
        assertThat(counts(a)).containsOnly(Map.entry("MIGRATION_FAILED", 1L));
        assertThat(finding(a, "MIGRATION_FAILED").occurrences().get(0).message())
                .isEqualTo("mm_migrate_pages: nr_succeeded=30 nr_failed=2");
    }

    @Test
    void freeOnAnotherThreadCommittedBeforeItsAllocationTree_isNotABadFree() throws Exception {
        Path f = dir.resolve("r.jfr");
        try (TestRecording rec = new TestRecording()) {
            Scenarios s = new Scenarios(rec);
            // the allocation runs inside a long driver call whose tree completes after the free's tree
            TestRecording.Call probe = rec.call("vpu_probe", int.class, "dev", "vpu");
            long addr = s.cmaAlloc("vpu", 1 << 20, 0, 0x10000);
            Thread t = new Thread(() -> new Scenarios(rec).free("vpu", 1 << 20, addr));
            t.start();
            t.join();
            probe.ret(0);
            rec.dump(f);
        }
        RecordingAnalysis a = Analyzer.analyze(f, b -> { });
        assertThat(a.findings()).isEmpty();
    }
}
