package dev.dmatrace.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dmatrace.kernel.mm.DebugVm;
import dev.dmatrace.kernel.mm.MigrateType;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageAlloc;
import dev.dmatrace.kernel.mm.Vmstat;
import dev.dmatrace.kernel.mm.Zone;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Boot: zone layout, memblock reservations before memblock_free_all(), the order boot frees in. */
class MachineTest {

    private static final long MIB = 1L << 20;

    @Test
    void boot_4GiB_arm64_6_1_dmaBelow4GiB_normalAbove() {
        Board b = new Board("t", "t", Arch.ARM64, KernelProfile.V6_1,
                List.of(new Board.Bank(0x40000000L, 4L << 30)), 2, 0);
        Machine m = Machine.boot(b);
        PageAlloc pa = m.pageAlloc();
        assertThat(pa.zone(Zone.ZONE_DMA).presentPages()).isEqualTo(3L << 18);
        assertThat(pa.zone(Zone.ZONE_DMA32).populated()).isFalse();
        assertThat(pa.zone(Zone.ZONE_NORMAL).presentPages()).isEqualTo(1L << 18);
        assertThat(pa.totalramPages()).isEqualTo(1L << 20);
        assertThat(DebugVm.check(pa)).isEmpty();
    }

    @Test
    void memblockReserve_beforeBoot_keepsRangeReserved() {
        Machine m = Machine.create(Boards.VIRT_ARM64);
        long base = 0x50000000L;
        m.memblockReserve(base, 3 * MIB);
        m.boot();
        for (long pfn = base >>> 12; pfn < (base + 3 * MIB) >>> 12; pfn++) {
            assertThat(m.memMap().pageReserved(pfn)).isTrue();
            assertThat(m.memMap().pageBuddy(pfn)).isFalse();
        }
        assertThat(m.memMap().pageReserved((base + 3 * MIB) >>> 12)).isFalse();
        assertThat(m.pageAlloc().totalramPages()).isEqualTo((1L << 18) - (40 * MIB >>> 12) - (3 * MIB >>> 12));
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
        assertThatThrownBy(() -> m.memblockReserve(base, MIB)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void declareCmaArea_requiresPageblockAlignment() {
        Machine m = Machine.create(Boards.VIRT_ARM64);
        assertThatThrownBy(() -> m.declareCmaArea(0x50001000L, 2 * MIB)).isInstanceOf(IllegalArgumentException.class);
        m.declareCmaArea(0x50000000L, 2 * MIB);
        m.boot();
        assertThat(m.memMap().getPageblockMigratetype(0x50000L)).isEqualTo(MigrateType.MIGRATE_CMA);
    }

    /** memblock_free_all() frees ascending with FPI_TO_TAIL (5.10+): the lowest block is allocated first. */
    @Test
    void memblockFreeAll_toTail_lowestBlockFirst_6_1() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        long first = m.pageAlloc().allocPages(dev.dmatrace.kernel.mm.Gfp.GFP_HIGHUSER_MOVABLE, 10);
        assertThat(first).isEqualTo((0x40000000L + 40 * MIB) >>> 12);
    }

    /** [4.4] boot frees with list_add (head): the highest block is handed out first. */
    @Test
    void memblockFreeAll_toHead_highestBlockFirst_4_4() {
        Machine m = Machine.boot(Boards.VEXPRESS_ARM_44);
        long first = m.pageAlloc().allocPages(dev.dmatrace.kernel.mm.Gfp.GFP_HIGHUSER_MOVABLE, 10);
        assertThat(first).isEqualTo(((0x60000000L + (512 * MIB)) >>> 12) - 1024);
    }

    @Test
    void bootedBuddyinfo_isAllMaxOrderBlocks_forAlignedRam() {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        assertThat(new Vmstat(m.pageAlloc()).buddyinfo())
                .isEqualTo("Node 0, zone      DMA      0      0      0      0      0      0      0      0      0"
                        + "      0    246 \n");
        assertThat(Page.NULL).isEqualTo(-1L);
    }

    /** A core initcall runs after memblock_free_all() and before the watermarks are computed. */
    @Test
    void coreInitcall_runsBetweenFreeAllAndWatermarks() {
        Machine m = Machine.create(Boards.VIRT_ARM64);
        long[] seen = new long[2];
        m.coreInitcall(mm -> {
            seen[0] = mm.pageAlloc().globalNrFreePages();
            seen[1] = mm.pageAlloc().zone(Zone.ZONE_DMA).minWmarkPages();
        });
        m.boot();
        assertThat(seen[0]).isEqualTo(m.pageAlloc().totalramPages());
        assertThat(seen[1]).isZero();
        assertThat(m.pageAlloc().zone(Zone.ZONE_DMA).minWmarkPages()).isPositive();
    }

    @Test
    void kernelProfile_parse() {
        assertThat(KernelProfile.parse("5.10")).isEqualTo(KernelProfile.V5_10);
        assertThat(KernelProfile.parse("v6_1")).isEqualTo(KernelProfile.V6_1);
        assertThat(KernelProfile.parse("3.18")).isNull();
        assertThat(KernelProfile.V6_12.atLeast(KernelProfile.V6_1)).isTrue();
    }
}
