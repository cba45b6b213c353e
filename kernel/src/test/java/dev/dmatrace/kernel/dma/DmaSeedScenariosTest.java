package dev.dmatrace.kernel.dma;

import static dev.dmatrace.kernel.dma.DmaTestKernels.MIB;
import static dev.dmatrace.kernel.dma.DmaTestKernels.arm64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.DebugVm;
import dev.dmatrace.kernel.mm.Gfp;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed scenarios of the issue, on the simulated kernels. */
class DmaSeedScenariosTest {

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void alloc200M_withCma64M_nullAfterCmaAndBuddyBothFail(String v) {
        Kernel k = arm64(v, "cma=64M");
        k.machine().tracing().enable("cma", true);
        k.machine().tracing().enable("kmem/mm_page_alloc", true);
        Device dev = k.createDevice("dev");
        long[] h = new long[1];
        assertThat(k.dma().dmaAllocCoherent(dev, 200 * MIB, h, Gfp.GFP_KERNEL)).isZero();
        List<String> trace = k.machine().tracing().lines();
        // [6.1] cma_alloc_start fires before the "larger than the area" return; [5.10] traces only at the end
        assertThat(trace.stream().anyMatch(l -> l.contains("cma_alloc_start: name=reserved count=51200")))
                .isEqualTo(v.equals("6.1"));
        // order 16 >= MAX_ORDER: the buddy allocator refuses up front, with one WARN
        assertThat(k.machine().printk().lines()).filteredOn(l -> l.startsWith("WARNING: ")).singleElement()
                .asString().endsWith(KernelProfile.parse(v).allocPagesSymbol());
        assertThat(DebugVm.check(k.machine().pageAlloc())).isEmpty();
    }

    @Test
    void nullDevice_5_10_isRefused_theKernelWouldDereferenceIt() {
        Kernel k = arm64("5.10", "cma=64M");
        assertThatThrownBy(() -> k.dma().dmaAllocCoherent(null, 4096, new long[1], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coherent_dma_mask");
    }

    @Test
    void devicePool_noMap_servesTheDevice_andIsExclusiveWhenFull() {
        Kernel k = DmaTestKernels.boot(Boards.VIRT_ARM64, DmaTestKernels.dts("ref-a64.dts"), null, true);
        Device dsp = k.device("11000000.dsp");
        assertThat(dsp.dmaMem).isNotNull();
        long base = 0x7c000000L;
        long[] h = new long[1];
        long first = k.dma().dmaAllocCoherent(dsp, 6 * MIB, h, Gfp.GFP_KERNEL);
        assertThat(first).isNotZero();
        assertThat(h[0]).as("2^get_order(6 MiB) = 8 MiB aligned at the pool's start").isEqualTo(base);
        long second = k.dma().dmaAllocCoherent(dsp, 8 * MIB, h, Gfp.GFP_KERNEL);
        assertThat(h[0]).isEqualTo(base + 8 * MIB);
        assertThat(dsp.dmaMem.pagesUsed()).isEqualTo(dsp.dmaMem.pages());
        long[] h3 = new long[1];
        assertThat(k.dma().dmaAllocCoherent(dsp, 4096, h3, Gfp.GFP_KERNEL)).as("full: no fallback").isZero();
        k.dma().dmaFreeCoherent(dsp, 8 * MIB, second, h[0]);
        assertThat(k.dma().dmaAllocCoherent(dsp, 4096, h3, Gfp.GFP_KERNEL)).isNotZero();
        assertThat(h3[0]).isEqualTo(base + 8 * MIB);
        assertThat(k.dma().debug().entries()).as("pool hits have no dma-debug entry").isEmpty();
    }

    @Test
    void perDeviceCma_anySize_noFallbackToTheDefaultArea() {
        Kernel k = DmaTestKernels.boot(Boards.VIRT_ARM64, DmaTestKernels.dts("ref-a64.dts"), null, true);
        Device vpu = k.device("10000000.video-codec");
        assertThat(vpu.cmaArea.name()).isEqualTo("vpu@78000000");
        k.machine().tracing().enable("cma", true);
        long[] h = new long[1];
        assertThat(k.dma().dmaAllocCoherent(vpu, 4096, h, Gfp.GFP_KERNEL)).isNotZero();
        assertThat(DmaTestKernels.inArea(vpu.cmaArea, h[0])).as("one page from the device's own area").isTrue();
        long[] h2 = new long[1];
        long cpu = k.dma().dmaAllocCoherent(vpu, 8 * MIB, h2, Gfp.GFP_KERNEL);
        assertThat(DmaTestKernels.inArea(vpu.cmaArea, h2[0])).isTrue();
        // the whole area no longer fits: NULL after the buddy (order 14) fails, the 256 MiB default area untouched
        assertThat(k.dma().dmaAllocCoherent(vpu, 64 * MIB, h, Gfp.GFP_KERNEL)).isZero();
        assertThat(k.machine().tracing().lines()).noneMatch(l -> l.contains("name=linux,cma"));
        k.dma().dmaFreeCoherent(vpu, 8 * MIB, cpu, h2[0]);
        assertThat(k.machine().tracing().lines()).anyMatch(l -> l.contains("cma_release: name=vpu@78000000"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void gfpAtomic_nonCoherentRemapDevice_atomicPool_coherentDevice_buddy(String v) {
        Kernel k = arm64(v, "cma=64M");
        k.machine().tracing().enable("cma", true);
        Device nc = k.createDevice("noncoherent");
        Device c = k.createDevice("coherent");
        c.dmaCoherent = true;
        long[] h = new long[1];
        long a = k.dma().dmaAllocCoherent(nc, 8192, h, Gfp.GFP_ATOMIC);
        long base = k.contiguous().defaultArea().basePfn() << 12;
        assertThat(h[0]).isBetween(base, base + (384 << 10));
        assertThat(k.remapLinear().isVmallocAddr(a)).isTrue();
        long b = k.dma().dmaAllocCoherent(c, 8192, h, Gfp.GFP_ATOMIC);
        assertThat(DmaTestKernels.inArea(k.contiguous().defaultArea(), h[0])).isFalse();
        assertThat(k.remapLinear().isVmallocAddr(b)).isFalse();
    }
}
