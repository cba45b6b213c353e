package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.boot.Arch;
import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mm/cma.c cma_declare_contiguous(_nid), cma_init_reserved_mem, cma_init_reserved_areas / cma_activate_area. */
class CmaDeclareTest {

    private static int declare(Machine m, long base, long size, long limit, long align, boolean fixed,
            CmaArea[] res) {
        return m.cma().cmaDeclareContiguous(base, size, limit, align, 0, fixed, "a", res);
    }

    /** Not fixed: top-down below the limit, like memblock; "Reserved %ld MiB at %pa". */
    @Test
    void declare_topDownBelowLimit_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 256));
        CmaArea[] res = new CmaArea[1];
        assertThat(declare(m, 0, 16 * MIB, BASE + 128 * MIB, 0, false, res)).isZero();
        assertThat(res[0].basePfn()).isEqualTo(pfn(BASE + 112 * MIB));
        assertThat(m.printk().lines()).contains("cma: Reserved 16 MiB at 0x0000000047000000");
        m.boot();
        assertThat(m.memMap().getPageblockMigratetype(res[0].basePfn())).isEqualTo(MigrateType.MIGRATE_CMA);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** %pa is sizeof(phys_addr_t) wide: 8 hex digits on 32-bit ARM without LPAE. */
    @Test
    void declare_reservedLine_32bitPhysAddr_4_4() {
        Machine m = Machine.create(arm(KernelProfile.V4_4, 256));
        CmaArea[] res = new CmaArea[1];
        assertThat(declare(m, 0, 16 * MIB, 0, 0, false, res)).isZero();
        assertThat(m.printk().lines()).anyMatch(l -> l.matches("cma: Reserved 16 MiB at 0x[0-9a-f]{8}"));
    }

    /** [6.12] cma_declare_contiguous_nid() names the node: "Reserved %ld MiB at %pa on node %d". */
    @Test
    void declare_reservedLine_namesTheNode_6_12() {
        Machine m = Machine.create(arm64(KernelProfile.V6_12, 256));
        CmaArea[] res = new CmaArea[1];
        assertThat(declare(m, 0, 16 * MIB, BASE + 128 * MIB, 0, false, res)).isZero();
        assertThat(m.printk().lines()).contains("cma: Reserved 16 MiB at 0x0000000047000000 on node -1");
    }

    /** [5.10+] fixed base not aligned: "Region at %pa must be aligned to %pa bytes", -EINVAL, "Failed to reserve". */
    @Test
    void declare_fixedMisaligned_einval_5_10() {
        Machine m = Machine.create(arm64(KernelProfile.V5_10, 256));
        assertThat(declare(m, BASE + 2 * MIB, 4 * MIB, 0, 0, true, new CmaArea[1])).isEqualTo(-Errno.EINVAL);
        assertThat(m.printk().lines().stream().filter(l -> l.startsWith("cma:"))).containsExactly(
                "cma: Region at 0x0000000040200000 must be aligned to 0x0000000000400000 bytes",
                "cma: Failed to reserve 4 MiB");
    }

    /** [6.1] the minimum alignment is one pageblock (2 MiB on arm64): the same request is fine. */
    @Test
    void declare_fixedPageblockAligned_ok_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 256));
        assertThat(declare(m, BASE + 2 * MIB, 4 * MIB, 0, 0, true, new CmaArea[1])).isZero();
    }

    /** [5.10+] base + size beyond the limit: "Size (%pa) of region at %pa exceeds limit (%pa)". */
    @Test
    void declare_exceedsLimit_einval_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 256));
        assertThat(declare(m, BASE + 64 * MIB, 16 * MIB, BASE + 72 * MIB, 0, true, new CmaArea[1]))
                .isEqualTo(-Errno.EINVAL);
        assertThat(m.printk().lines()).contains("cma: Size (0x0000000001000000) of region at 0x0000000044000000 "
                + "exceeds limit (0x0000000044800000)");
    }

    /** A fixed region across the end of lowmem (here the end of DRAM, arm64 has no highmem) is refused first. */
    @Test
    void declare_fixedAcrossHighmemStart_einval_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 256));
        assertThat(declare(m, BASE + 250 * MIB, 16 * MIB, 0, 0, true, new CmaArea[1])).isEqualTo(-Errno.EINVAL);
        assertThat(m.printk().lines()).contains(
                "cma: Region at 0x000000004fa00000 defined on low/high memory boundary (0x0000000050000000)");
    }

    /** Fixed over a range already reserved: -EBUSY. Alignment not a power of two: -EINVAL. Nothing free: -ENOMEM. */
    @Test
    void declare_busyInvalidAlignmentNoRoom_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 64));
        m.memblockReserve(BASE, 4 * MIB);
        assertThat(declare(m, BASE, 4 * MIB, 0, 0, true, new CmaArea[1])).isEqualTo(-Errno.EBUSY);
        assertThat(declare(m, 0, 4 * MIB, 0, 3 * MIB, false, new CmaArea[1])).isEqualTo(-Errno.EINVAL);
        assertThat(declare(m, 0, 128 * MIB, 0, 0, false, new CmaArea[1])).isEqualTo(-Errno.ENOMEM);
    }

    /** cma_init_reserved_mem: table full -> "Not enough slots for CMA reserved regions!", -ENOSPC. */
    @Test
    void initReservedMem_slotsFull_enospc_6_1() {
        Machine m = Machine.create(arm64(KernelProfile.V6_1, 256));
        for (int i = 0; i < Cma.MAX_CMA_AREAS; i++) {
            assertThat(declare(m, 0, 2 * MIB, 0, 0, false, new CmaArea[1])).isZero();
        }
        assertThat(declare(m, 0, 2 * MIB, 0, 0, false, new CmaArea[1])).isEqualTo(-Errno.ENOSPC);
        assertThat(m.printk().lines()).contains("cma: Not enough slots for CMA reserved regions!");
    }

    /** cma_init_reserved_mem: a range memblock does not have reserved is -EINVAL; [4.4] needs 4 MiB alignment. */
    @Test
    void initReservedMem_notReserved_einval_and4MiBAlignment_4_4() {
        Machine m = Machine.create(arm(KernelProfile.V4_4, 64));
        CmaArea[] res = new CmaArea[1];
        assertThat(m.cma().cmaInitReservedMem(BASE, 4 * MIB, 0, null, res)).isEqualTo(-Errno.EINVAL);
        m.memblockReserve(BASE + 2 * MIB, 2 * MIB);
        assertThat(m.cma().cmaInitReservedMem(BASE + 2 * MIB, 2 * MIB, 0, null, res)).isEqualTo(-Errno.EINVAL);
        m.memblockReserve(BASE + 8 * MIB, 4 * MIB);
        assertThat(m.cma().cmaInitReservedMem(BASE + 8 * MIB, 4 * MIB, 0, null, res)).isZero();
        assertThat(res[0].name()).isEqualTo("cma0");
    }

    /** [5.10, 6.1] an unnamed area is "cma%d\n" (sic, with the newline). */
    @Test
    void initReservedMem_defaultName_hasNewline_5_10() {
        Machine m = Machine.create(arm64(KernelProfile.V5_10, 64));
        m.memblockReserve(BASE + 8 * MIB, 4 * MIB);
        CmaArea[] res = new CmaArea[1];
        assertThat(m.cma().cmaInitReservedMem(BASE + 8 * MIB, 4 * MIB, 0, null, res)).isZero();
        assertThat(res[0].name()).isEqualTo("cma0\n");
    }

    /** x86-64 with a 16 MiB ZONE_DMA: an area across the boundary cannot be activated. */
    private static Machine acrossDmaBoundary(KernelProfile p) {
        Board b = new Board("t", "test", Arch.X86_64, p, List.of(new Board.Bank(0, 64 * MIB)), 1, 0);
        Machine m = Machine.create(b);
        m.declareCmaArea("x", 12 * MIB, 8 * MIB, 0);
        m.boot();
        return m;
    }

    /** cma_activate_area [6.1]: pages go to the buddy allocator as ordinary pages, totalcma shrinks, pr_err. */
    @Test
    void activateArea_crossesZones_pagesFreed_6_1() {
        Machine m = acrossDmaBoundary(KernelProfile.V6_1);
        CmaArea a = m.cma().areas().get(0);
        assertThat(a.count()).isZero();
        assertThat(m.pageAlloc().totalcmaPages()).isZero();
        assertThat(m.printk().lines()).contains("cma: CMA area x could not be activated");
        assertThat(m.memMap().pageReserved(pfn(14 * MIB))).isFalse();
        assertThat(m.cma().cmaAlloc(a, 1, 0, true)).isEqualTo(Page.NULL);
        assertThat(DebugVm.check(m.pageAlloc())).isEmpty();
    }

    /** cma_activate_area [5.10]: same pr_err, but the pages stay reserved. */
    @Test
    void activateArea_crossesZones_pagesStayReserved_5_10() {
        Machine m = acrossDmaBoundary(KernelProfile.V5_10);
        assertThat(m.cma().areas().get(0).count()).isZero();
        assertThat(m.printk().lines()).contains("cma: CMA area x could not be activated");
        assertThat(m.memMap().pageReserved(pfn(14 * MIB))).isTrue();
    }

    /** cma_init_reserved_areas [4.4]: -EINVAL from the first failing area, no message, later areas not activated. */
    @Test
    void initReservedAreas_stopsAtFirstFailure_4_4() {
        Board b = new Board("t", "test", Arch.X86_64, KernelProfile.V4_4, List.of(new Board.Bank(0, 64 * MIB)), 1, 0);
        Machine m = Machine.create(b);
        m.declareCmaArea("x", 12 * MIB, 8 * MIB, 0);
        CmaArea later = m.declareCmaArea("y", 32 * MIB, 4 * MIB, 0);
        m.boot();
        assertThat(m.printk().lines()).noneMatch(l -> l.startsWith("cma:"));
        assertThat(m.cma().cmaAlloc(later, 1, 0, true)).isEqualTo(Page.NULL);
        assertThat(m.memMap().pageReserved(pfn(32 * MIB))).isTrue();
    }

    /** Not fixed, [base, limit) across highmem_start: the highmem part is tried first (32-bit ARM, 4.4, 1 GiB). */
    @Test
    void declare_notFixed_triesHighmemFirst_4_4() {
        Board b = new Board("t", "test", Arch.ARM, KernelProfile.V4_4, List.of(new Board.Bank(BASE, 1024 * MIB)), 1,
                0);
        Machine m = Machine.create(b);
        CmaArea[] res = new CmaArea[1];
        assertThat(m.cma().cmaDeclareContiguous(0, 16 * MIB, 0, 0, 0, false, null, res)).isZero();
        assertThat(res[0].basePfn()).isEqualTo(pfn(BASE + 1008 * MIB));
        m.boot();
        assertThat(m.pageAlloc().zone(Zone.ZONE_HIGHMEM).spansPfn(res[0].basePfn())).isTrue();
    }
}
