package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where and how kmem:mm_page_alloc_zone_locked and mm_page_pcpu_drain fire, per version (§9.3). */
class KmemTraceTest {

    private static List<String> events(Machine m, String name) {
        return m.tracing().lines().stream().filter(l -> l.contains(": " + name + ": ")).toList();
    }

    /** [6.1] inside __rmqueue_smallest(), once per block of a pcp refill, with percpu_refill=1. */
    @Test
    void zoneLocked_perRefilledBlock_percpuRefill_6_1() {
        Machine m = boot(arm64(KernelProfile.V6_1, 1024));
        m.tracing().enable("kmem/mm_page_alloc_zone_locked", true);
        long p = m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 0);
        List<String> ev = events(m, "mm_page_alloc_zone_locked");
        assertThat(ev).hasSize(m.pageAlloc().zone(Zone.ZONE_DMA).pcp(0).batch());
        assertThat(ev.get(0)).endsWith("pfn=0x" + Long.toHexString(p) + " order=0 migratetype=0 percpu_refill=1");
        m.tracing().clear();
        m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 5);
        assertThat(events(m, "mm_page_alloc_zone_locked")).singleElement().asString()
                .endsWith(" order=5 migratetype=0 percpu_refill=0");
    }

    /** [5.10] at the end of __rmqueue(), decimal pfn, percpu_refill printed as order == 0. */
    @Test
    void zoneLocked_decimalPfn_orderZeroAsRefill_5_10() {
        Machine m = boot(arm64(KernelProfile.V5_10, 1024));
        m.tracing().enable("kmem/mm_page_alloc_zone_locked", true);
        long p = m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 2);
        assertThat(events(m, "mm_page_alloc_zone_locked")).singleElement().asString()
                .matches(".*\\] d\\.\\.\\. .*: mm_page_alloc_zone_locked: page=[0-9a-f]{16} pfn=" + p
                        + " order=2 migratetype=0 percpu_refill=0$");
    }

    @Test
    void pcpuDrain_firesPerDrainedBlock_withItsMigratetype_6_1() {
        Machine m = boot(arm64(KernelProfile.V6_1, 1024));
        PageAlloc pa = m.pageAlloc();
        long p = pa.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 1);
        pa.free().freePages(p, 1);
        int onPcp = pa.zone(Zone.ZONE_DMA).pcp(0).count();
        m.tracing().enable("kmem/mm_page_pcpu_drain", true);
        pa.pcp().drainAllPages(null);
        List<String> ev = events(m, "mm_page_pcpu_drain");
        assertThat(ev).hasSize(onPcp / 2);
        // the freed block went to the head of its list; drains take from the tail, so it comes back last
        assertThat(ev.get(ev.size() - 1)).endsWith("pfn=0x" + Long.toHexString(p) + " order=1 migratetype=1");
    }

    @Test
    void disabledEvents_writeNothing() {
        Machine m = boot(arm64(KernelProfile.V6_1, 64));
        long p = m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 0);
        m.pageAlloc().free().freePages(p, 0);
        assertThat(m.tracing().lines()).isEmpty();
        assertThat(m.tracing().enable("nosuch", true)).isFalse();
        assertThat(m.tracing().events()).contains("kmem/mm_page_alloc", "kmem/mm_page_free",
                "kmem/mm_page_alloc_zone_locked", "kmem/mm_page_pcpu_drain", "kmem/mm_page_alloc_extfrag");
    }
}
