package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-cpu lists: zone_batchsize / zone_highsize, refills by rmqueue_bulk, frees by free_pcppages_bulk. */
class PcpTest {

    @Test
    void zoneBatchsizeAndHighsize_defaultBoard_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        Zone z = m.pageAlloc().zone(Zone.ZONE_DMA);
        // zone_batchsize(): min(managed >> 10, 256) / 4 -> 61, rounddown_pow_of_two(61 + 30) - 1 = 63
        assertThat(z.managedPages() >> 10).isEqualTo(246);
        assertThat(z.pcp(0).batch()).isEqualTo(63);
        // zone_highsize(): low watermark split over 2 cpus, at least 4 * batch
        assertThat(z.pcp(0).high()).isEqualTo((int) Math.max(z.lowWmarkPages() / 2, 4 * 63));
        assertThat(z.pcp(1).high()).isEqualTo(z.pcp(0).high());
    }

    @Test
    void pagesetSetBatch_highIsSixBatches_5_10() {
        Machine m = boot(arm64(KernelProfile.V5_10, 1024));
        Zone z = m.pageAlloc().zone(Zone.ZONE_DMA);
        assertThat(z.pcp(0).batch()).isEqualTo(63);
        assertThat(z.pcp(0).high()).isEqualTo(6 * 63);
    }

    /** [4.4] zone_batchsize() caps at 512 KiB: min(196608 >> 10, 128) / 4 = 32, rounddown_pow_of_two(48) - 1 = 31. */
    @Test
    void zoneBatchsize_capsAtHalfAMeg_4_4() {
        Machine m = boot(arm(KernelProfile.V4_4, 768));
        Zone z = m.pageAlloc().zone(Zone.ZONE_NORMAL);
        assertThat(z.managedPages() >> 10).isEqualTo(192);
        assertThat(z.pcp(0).batch()).isEqualTo(31);
        assertThat(z.pcp(0).high()).isEqualTo(6 * 31);
    }

    @Test
    void rmqueuePcplist_refillsOneBatch_andCountsItOutOfNrFree_5_10() {
        Machine m = boot(arm64(KernelProfile.V5_10, 1024));
        PageAlloc pa = m.pageAlloc();
        Zone z = pa.zone(Zone.ZONE_DMA);
        long before = z.nrFreePages();
        long page = pa.allocPages(Gfp.GFP_KERNEL, 0);
        assertThat(page).isNotEqualTo(Page.NULL);
        assertThat(z.pcp(0).count()).isEqualTo(62);
        assertThat(z.nrFreePages()).isEqualTo(before - 63);
        // the batch came off one split block in physical order: the next allocation is the next pfn
        assertThat(pa.allocPages(Gfp.GFP_KERNEL, 0)).isEqualTo(page + 1);
        assertThat(DebugVm.check(pa)).isEmpty();
    }

    @Test
    void freeUnrefPageCommit_drainsOneBatch_atHigh_5_10() {
        Machine m = boot(arm64(KernelProfile.V5_10, 1024));
        PageAlloc pa = m.pageAlloc();
        PerCpuPages pcp = pa.zone(Zone.ZONE_DMA).pcp(0);
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            pages.add(pa.allocPages(Gfp.GFP_KERNEL, 0));
        }
        int high = pcp.high();
        int batch = pcp.batch();
        boolean sawDrain = false;
        for (long p : pages) {
            int before = pcp.count();
            pa.free().freePage(p);
            assertThat(pcp.count()).isLessThan(high);
            if (pcp.count() < before) {
                assertThat(pcp.count()).isEqualTo(before + 1 - batch);
                sawDrain = true;
            }
        }
        assertThat(sawDrain).isTrue();
        assertThat(DebugVm.check(pa)).isEmpty();
    }

    @Test
    void freeUnrefPageCommit_batchGrowsWithFreeFactor_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        PageAlloc pa = m.pageAlloc();
        PerCpuPages pcp = pa.zone(Zone.ZONE_DMA).pcp(0);
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            pages.add(pa.allocPages(Gfp.GFP_KERNEL, 0));
        }
        List<Integer> drained = new ArrayList<>();
        for (long p : pages) {
            int before = pcp.count();
            pa.free().freePage(p);
            if (pcp.count() < before) {
                drained.add(before + 1 - pcp.count());
            }
        }
        // nr_pcp_free(): batch << free_factor, free_factor grows per drain without allocations, capped at high - batch
        assertThat(drained.get(0)).isEqualTo(pcp.batch());
        assertThat(drained.get(1)).isEqualTo(Math.min(2 * pcp.batch(), pcp.high() - pcp.batch()));
        assertThat(DebugVm.check(pa)).isEmpty();
    }

    @Test
    void pcpAllowedOrder_order3UsesPcp_order4DoesNot_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        PageAlloc pa = m.pageAlloc();
        PerCpuPages pcp = pa.zone(Zone.ZONE_DMA).pcp(0);
        pa.allocPages(Gfp.GFP_KERNEL, 3);
        // batch >> order = 7, so the refill brings 7 order-3 blocks and one is handed out
        assertThat(pcp.count()).isEqualTo(6 * 8);
        int c = pcp.count();
        pa.allocPages(Gfp.GFP_KERNEL, 4);
        assertThat(pcp.count()).isEqualTo(c);
    }

    @Test
    void drainAllPages_emptiesEveryCpu() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        PageAlloc pa = m.pageAlloc();
        String boot = new Vmstat(pa).buddyinfo();
        for (int cpu = 0; cpu < 2; cpu++) {
            dev.dmatrace.kernel.sched.Current.bindCpu(cpu);
            long p = pa.allocPages(Gfp.GFP_KERNEL, 0);
            pa.free().freePage(p);
        }
        dev.dmatrace.kernel.sched.Current.bindCpu(0);
        assertThat(pa.zone(Zone.ZONE_DMA).pcp(1).count()).isPositive();
        pa.pcp().drainAllPages(null);
        assertThat(pa.zone(Zone.ZONE_DMA).pcp(0).count()).isZero();
        assertThat(pa.zone(Zone.ZONE_DMA).pcp(1).count()).isZero();
        assertThat(new Vmstat(pa).buddyinfo()).isEqualTo(boot);
    }
}
