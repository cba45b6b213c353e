package dev.dmatrace.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.fs.proc.Meminfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /proc formats against the oracle's real arm64 6.1 output (cases/p1-basic-6.1/log.txt). */
class ProcViewsTest {

    /** The oracle board with its 64 MiB default CMA area where the real kernel placed it. */
    private static Machine oracleBoard() {
        Machine m = Machine.create(Boards.ORACLE_ARM64_512M);
        m.declareCmaArea(0x5b600000L, 64L << 20);
        m.boot();
        return m;
    }

    private static final String ORACLE_BUDDYINFO =
            "Node 0, zone      DMA      8      7      3      3      3      5      1      5      5      4    105 ";
    private static final List<String> ORACLE_PAGETYPEINFO_HEAD = List.of(
            "Page block order: 9",
            "Pages per block:  512",
            "",
            "Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8"
                    + "      9     10 ");
    private static final String ORACLE_TYPE_LINE =
            "Node    0, zone      DMA, type          CMA      0      0      0      1      1      2      0      1      3"
                    + "      1     14 ";
    private static final String ORACLE_BLOCKS_HEAD =
            "Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate ";

    @Test
    void buddyinfo_hasTheKernelsColumns_6_1() {
        String line = new Vmstat(oracleBoard().pageAlloc()).buddyinfo().lines().findFirst().orElseThrow();
        String shape = "^Node 0, zone {6}DMA ([ \\d]{6} ){11}$";
        assertThat(ORACLE_BUDDYINFO).matches(shape);
        assertThat(line).matches(shape);
    }

    @Test
    void pagetypeinfo_matchesOracleHeaderAndColumns_6_1() {
        List<String> lines = new Vmstat(oracleBoard().pageAlloc()).pagetypeinfo().lines().toList();
        assertThat(lines.subList(0, 4)).isEqualTo(ORACLE_PAGETYPEINFO_HEAD);
        String typeShape = "^Node    0, zone      DMA, type +\\S+ ([ \\d]{6} ){11}$";
        assertThat(ORACLE_TYPE_LINE).matches(typeShape);
        assertThat(lines.subList(4, 10)).allMatch(l -> l.matches(typeShape));
        assertThat(lines.get(8)).startsWith(ORACLE_TYPE_LINE.substring(0, 41));
        assertThat(lines.get(10)).isEmpty();
        assertThat(lines.get(11)).isEqualTo(ORACLE_BLOCKS_HEAD);
        // 256 pageblocks like the oracle's (18 + 202 + 4 + 32): at boot all are Movable except the 32 CMA ones
        assertThat(lines.get(12)).isEqualTo(
                "Node 0, zone      DMA            0          224            0            0           32            0 ");
    }

    @Test
    void meminfo_memTotalAndCmaTotal_asTheOracle_6_1() {
        List<String> lines = new Meminfo(oracleBoard().pageAlloc()).show().lines().toList();
        assertThat(lines.get(0)).isEqualTo("MemTotal:         486660 kB");
        assertThat(lines.get(2)).isEqualTo("CmaTotal:          65536 kB");
        assertThat(lines.get(3)).isEqualTo("CmaFree:           65536 kB");
        assertThat(lines.get(1)).matches("MemFree: {8}[ \\d]{8} kB");
    }

    @Test
    void pagetypeinfo_noCapMarkerColumn_4_4() {
        Machine m = Machine.boot(Boards.VEXPRESS_ARM_44);
        List<String> lines = new Vmstat(m.pageAlloc()).pagetypeinfo().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Page block order: 10");
        assertThat(lines.get(1)).isEqualTo("Pages per block:  1024");
        assertThat(lines.get(5)).isEqualTo("Node    0, zone   Normal, type      Movable      0      0      0      0      0"
                + "      0      0      0      0      0    124 ");
    }

    @Test
    void vmstat_countsFreesAndAllocs() {
        Machine m = Machine.boot(Boards.PC_X86_64.withProfile(KernelProfile.V6_1));
        PageAlloc pa = m.pageAlloc();
        long p = pa.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_DMA32, 5);
        String v = new Vmstat(pa).vmstat();
        assertThat(v).contains("nr_free_pages " + pa.globalNrFreePages() + "\n", "nr_free_cma 0\n",
                "pgalloc_dma32 32\n", "pgalloc_normal 0\n");
        assertThat(pa.pageZone(p).idx()).isEqualTo(Zone.ZONE_DMA32);
    }

    @Test
    void vmstat_listsEveryConfiguredZone_populatedOrNot_vmstatText() {
        // mm/vmstat.c TEXTS_FOR_ZONES: one pgalloc_<zone> per zone the config has, whatever RAM populates
        String arm64 = new Vmstat(Machine.boot(Boards.ORACLE_ARM64_512M).pageAlloc()).vmstat();
        assertThat(arm64).contains("pgalloc_dma ", "pgalloc_dma32 0\n", "pgalloc_normal 0\n", "pgalloc_movable 0\n")
                .doesNotContain("pgalloc_high");
        String arm = new Vmstat(Machine.boot(Boards.VEXPRESS_ARM_44).pageAlloc()).vmstat();
        assertThat(arm).contains("pgalloc_normal ", "pgalloc_high 0\n", "pgalloc_movable 0\n")
                .doesNotContain("pgalloc_dma");
    }

    @Test
    void zonesOfX86_dmaDma32Normal() {
        Machine m = Machine.boot(Boards.PC_X86_64);
        PageAlloc pa = m.pageAlloc();
        assertThat(pa.zone(Zone.ZONE_DMA).zoneEndPfn()).isEqualTo(4096);
        assertThat(pa.zone(Zone.ZONE_DMA32).zoneEndPfn()).isEqualTo(1L << 20);
        assertThat(pa.zone(Zone.ZONE_NORMAL).presentPages()).isEqualTo(1L << 18);
        assertThat(new Vmstat(pa).buddyinfo().lines().map(l -> l.substring(0, 21)).toList())
                .containsExactly("Node 0, zone      DMA", "Node 0, zone    DMA32", "Node 0, zone   Normal");
    }

    @Test
    void zonesOfArm64_5_10_dmaIs30BitsFromDramStart() {
        Machine m = Machine.boot(Boards.VIRT_ARM64.withProfile(KernelProfile.V5_10));
        PageAlloc pa = m.pageAlloc();
        // max_zone_phys(30) = 0x40000000 + 1 GiB: the whole GiB is DMA, DMA32 is empty
        assertThat(pa.zone(Zone.ZONE_DMA).presentPages()).isEqualTo(1L << 18);
        assertThat(pa.zone(Zone.ZONE_DMA32).populated()).isFalse();
    }

    @Test
    void bootLog_zonelistLine_likeTheOracle_6_1() {
        Machine m = oracleBoard();
        assertThat(m.printk().lines()).contains("Built 1 zonelists, mobility grouping on.  Total pages: 129024");
    }
}
