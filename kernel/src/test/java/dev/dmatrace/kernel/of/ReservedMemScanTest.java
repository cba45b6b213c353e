package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.boot.Arch;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.mm.Memblock.Region;
import org.junit.jupiter.api.Test;

/** The reference boards through early_init_fdt_scan_reserved_mem, compared with what the kernel prints. */
class ReservedMemScanTest {

    private static final long MiB = 1L << 20;

    @Test
    void arm64Board_6_1_placesDefaultCmaTopDownInAllocRanges_andClaimsEachRegion() throws DtsException {
        OfBoot boot = Boards.boot(DtsTestFiles.parse("ref-a64.dts"), "6.1", Arch.ARM64);

        assertThat(boot.log().texts()).containsExactly(
                "Reserved memory: created CMA memory pool at 0x0000000090000000, size 256 MiB",
                "OF: reserved mem: initialized node linux,cma, compatible id shared-dma-pool",
                "Reserved memory: created CMA memory pool at 0x0000000078000000, size 64 MiB",
                "OF: reserved mem: initialized node vpu@78000000, compatible id shared-dma-pool",
                "Reserved memory: created DMA memory pool at 0x000000007c000000, size 16 MiB",
                "OF: reserved mem: initialized node dsp@7c000000, compatible id shared-dma-pool");
        assertThat(boot.reservedMem().regions()).extracting(ReservedMem::toString).containsExactly(
                "linux,cma [0x90000000+0x10000000]", "vpu@78000000 [0x78000000+0x4000000]",
                "dsp@7c000000 [0x7c000000+0x1000000]", "ramoops@7f000000 [0x7f000000+0x100000]");
        assertThat(boot.pools().defaultCma().name()).isEqualTo("linux,cma");
        assertThat(boot.reservedMem().regions().get(3).ops()).as("ramoops: no init function, -ENOENT").isNull();
    }

    @Test
    void arm64Board_6_1_noMapMarksNomap_staticAndDynamicRegionsAreReserved() throws DtsException {
        OfBoot boot = Boards.boot(DtsTestFiles.parse("ref-a64.dts"), "6.1", Arch.ARM64);

        assertThat(boot.memblock().memory()).contains(new Region(0x7c000000L, 16 * MiB, true));
        assertThat(boot.memblock().reserved()).containsExactly(
                new Region(0x40000000L, 0x10000L, false),
                new Region(0x78000000L, 64 * MiB, false),
                new Region(0x7f000000L, MiB, false),
                new Region(0x90000000L, 256 * MiB, false));
    }

    @Test
    void arm64Board_5_10_removesNoMapRegionsFromMemory() throws DtsException {
        OfBoot boot = Boards.boot(DtsTestFiles.parse("ref-a64.dts"), "5.10", Arch.ARM64);

        assertThat(boot.memblock().memory()).containsExactly(
                new Region(0x40000000L, 0x3c000000L, false), new Region(0x7d000000L, 0x43000000L, false));
        assertThat(boot.log().texts()).first()
                .isEqualTo("Reserved memory: created CMA memory pool at 0x0000000090000000, size 256 MiB");
    }

    @Test
    void arm32Board_4_4_rejectsAPoolWithoutNoMap_andKeepsItReserved() throws DtsException {
        OfBoot boot = Boards.boot(DtsTestFiles.parse("ref-arm32.dts"), "4.4", Arch.ARM);

        assertThat(boot.log().texts()).containsExactly(
                "Reserved memory: regions without no-map are not yet supported",
                "Reserved memory: created CMA memory pool at 0x98000000, size 64 MiB",
                "Reserved memory: initialized node linux,cma@98000000, compatible id shared-dma-pool",
                "Reserved memory: created DMA memory pool at 0x9f000000, size 8 MiB",
                "Reserved memory: initialized node ipu@9f000000, compatible id shared-dma-pool");
        assertThat(boot.reservedMem().regions()).extracting(ReservedMem::toString).containsExactly(
                "vdoa@9e000000 [0x9fc00000+0x400000]", "linux,cma@98000000 [0x98000000+0x4000000]",
                "ipu@9f000000 [0x9f000000+0x800000]");
        assertThat(boot.memblock().isRegionReserved(0x9fc00000L, 4 * MiB)).isTrue();
    }

    @Test
    void arm32Board_5_10_givesARejectedRegionBack_afterCompatibleMatchingFail() throws DtsException {
        OfBoot boot = Boards.boot(DtsTestFiles.parse("ref-arm32.dts"), "5.10", Arch.ARM);

        assertThat(boot.log().texts()).startsWith(
                "Reserved memory: regions without no-map are not yet supported",
                "OF: reserved mem: node vdoa@9e000000 compatible matching fail");
        assertThat(boot.memblock().isRegionReserved(0x9fc00000L, 4 * MiB)).isFalse();
    }

    @Test
    void memreserveEntries_areReservedBeforeTheScan() throws DtsException {
        OfBoot boot = Boards.boot(DtsTestFiles.parse("ref-a64.dts"), "4.4", Arch.ARM64);

        assertThat(boot.memblock().isRegionReserved(0x40000000L, 0x10000L)).isTrue();
    }
}
