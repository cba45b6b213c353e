package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.Errno;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.mm.Memblock.Region;
import dev.dmatrace.kernel.boot.Arch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An STM32MP1-style board: many small no-map pools, a dynamic no-map pool and a dynamic default CMA. */
class RemoteprocBoardTest {

    private static final long MiB = 1L << 20;

    private final RecordingBackend backend = new RecordingBackend();

    private OfBoot boot(String version) throws DtsException {
        return OfBoot.run(DtsTestFiles.parse("remoteproc-arm32.dts"), new OfProfile(version, Arch.ARM), backend,
                false);
    }

    @Test
    void staticPools_areCreatedInBaseOrder_withSubMiBSizesPrintedAsZero() throws DtsException {
        List<String> log = boot("6.1").log().texts();

        // the two dynamic regions sort first (base 0); their mutual order is the heapsort's
        assertThat(log.subList(0, 4)).containsExactlyInAnyOrder(
                "Reserved memory: created CMA memory pool at 0xc8000000, size 128 MiB",
                "OF: reserved mem: initialized node linux,cma, compatible id shared-dma-pool",
                "Reserved memory: created DMA memory pool at 0xdff00000, size 1 MiB",
                "OF: reserved mem: initialized node dsp-pool, compatible id shared-dma-pool");
        assertThat(log.subList(4, log.size())).containsExactly(
                "Reserved memory: created DMA memory pool at 0x10000000, size 0 MiB",
                "OF: reserved mem: initialized node mcuram2@10000000, compatible id shared-dma-pool",
                "Reserved memory: created DMA memory pool at 0x10040000, size 0 MiB",
                "OF: reserved mem: initialized node vdev0vring0@10040000, compatible id shared-dma-pool",
                "Reserved memory: created DMA memory pool at 0x10041000, size 0 MiB",
                "OF: reserved mem: initialized node vdev0vring1@10041000, compatible id shared-dma-pool",
                "Reserved memory: created DMA memory pool at 0x10042000, size 0 MiB",
                "OF: reserved mem: initialized node vdev0buffer@10042000, compatible id shared-dma-pool",
                "Reserved memory: created DMA memory pool at 0x30000000, size 0 MiB",
                "OF: reserved mem: initialized node mcuram@30000000, compatible id shared-dma-pool",
                "Reserved memory: created DMA memory pool at 0x38000000, size 0 MiB",
                "OF: reserved mem: initialized node retram@38000000, compatible id shared-dma-pool");
    }

    @Test
    void dynamicNoMapPool_isMarkedNomapIn6_1_andRemovedIn4_4() throws DtsException {
        OfBoot newer = boot("6.1");
        OfBoot old = boot("4.4");

        assertThat(newer.memblock().memory()).contains(new Region(0xdff00000L, MiB, true),
                new Region(0xd4000000L, 64 * MiB, true));
        assertThat(old.memblock().memory()).containsExactly(new Region(0xc0000000L, 0x14000000L, false),
                new Region(0xd8000000L, 0x7f00000L, false));
        assertThat(old.log().texts())
                .contains("Reserved memory: initialized node dsp-pool, compatible id shared-dma-pool");
    }

    @Test
    void rproc_bindsEachOfItsSixRegionsByIndex() throws DtsException {
        OfBoot boot = boot("5.10");
        OfDevice m4 = OfPlatformDevice.of(boot.tree().byLabel("m4_rproc").orElseThrow());

        for (int idx = 0; idx < 6; idx++) {
            assertThat(boot.reservedMem().deviceInitByIdx(m4, m4.ofNode(), idx)).isZero();
        }
        assertThat(boot.reservedMem().deviceInitByIdx(m4, m4.ofNode(), 6)).isEqualTo(-Errno.ENODEV);
        assertThat(boot.reservedMem().assignedTo(m4)).hasSize(6);
        assertThat(backend.dmaMem).containsEntry("10000000.m4", "dma:vdev0buffer@10042000");
    }

    @Test
    void carveOutWithoutACompatibleDriver_cannotBeBound() throws DtsException {
        OfBoot boot = boot("6.1");
        OfDevice gpu = OfPlatformDevice.of(boot.tree().byPath("/gpu@59000000").orElseThrow());

        assertThat(boot.reservedMem().deviceInit(gpu)).isEqualTo(-Errno.EINVAL);
        assertThat(boot.memblock().memory()).contains(new Region(0xd4000000L, 64 * MiB, true));
    }
}
