package dev.dmatrace.kernel.dma;

import static dev.dmatrace.kernel.dma.DmaTestKernels.MIB;
import static dev.dmatrace.kernel.dma.DmaTestKernels.arm64;
import static dev.dmatrace.kernel.dma.DmaTestKernels.cmaStarts;
import static dev.dmatrace.kernel.dma.DmaTestKernels.inArea;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.mm.DebugVm;
import dev.dmatrace.kernel.mm.Gfp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** §12.1 of the reference, 5.10/6.1 generic path: each decision of dma_alloc_coherent() driven into its branch. */
class DmaDirectDecisionsTest {

    private static Kernel traced(String version) {
        Kernel k = arm64(version, "cma=64M");
        k.machine().tracing().enable("cma", true);
        return k;
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1", "6.12"})
    void blocking_moreThanOnePage_comesFromTheDefaultCmaArea_exactCount(String v) {
        Kernel k = traced(v);
        Device dev = k.createDevice("dev");
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(dev, 3 * 4096, h, Gfp.GFP_KERNEL);
        CmaArea area = k.contiguous().defaultArea();
        assertThat(cpu).isNotZero();
        assertThat(inArea(area, h[0])).isTrue();
        assertThat(k.machine().tracing().lines()).anyMatch(l -> l.contains("count=3 align=2"));
        k.dma().dmaFreeCoherent(dev, 3 * 4096, cpu, h[0]);
        assertThat(k.machine().tracing().lines()).anyMatch(l -> l.contains("cma_release"));
        assertThat(DebugVm.check(k.machine().pageAlloc())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void onePage_skipsTheDefaultArea_buddy(String v) {
        Kernel k = traced(v);
        Device dev = k.createDevice("dev");
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(dev, 4096, h, Gfp.GFP_KERNEL);
        assertThat(cpu).isNotZero();
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isFalse();
        assertThat(cmaStarts(k)).isZero();
        assertThat(k.machine().memMap().pageCount(h[0] >>> 12)).isEqualTo(1);
        k.dma().dmaFreeCoherent(dev, 4096, cpu, h[0]);
        assertThat(k.machine().memMap().pageCount(h[0] >>> 12)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void cmaFull_fallsBackToBuddy_outsideTheArea(String v) {
        Kernel k = arm64(v, "cma=8M");
        Device dev = k.createDevice("dev");
        long[] h = new long[1];
        assertThat(k.dma().dmaAllocCoherent(dev, 6 * MIB, h, Gfp.GFP_KERNEL)).isNotZero();
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isTrue();
        long cpu = k.dma().dmaAllocCoherent(dev, 2 * MIB, h, Gfp.GFP_KERNEL);
        assertThat(cpu).isNotZero();
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isFalse();
        assertThat(h[0] % (2 * MIB)).as("buddy block of get_order(size)").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void nonBlocking_coherentDevice_skipsCma_buddy(String v) {
        Kernel k = traced(v);
        Device dev = k.createDevice("dev");
        dev.dmaCoherent = true;
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(dev, 64 << 10, h, Gfp.GFP_ATOMIC);
        assertThat(cpu).isNotZero();
        assertThat(cmaStarts(k)).isZero();
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isFalse();
        assertThat(k.machine().pageAlloc().memMap().zoneIdx(h[0] >>> 12)).isNotNegative();
        assertThat(k.remapLinear().isVmallocAddr(cpu)).as("linear map, no remap").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void nonBlocking_nonCoherentDevice_needsRemap_atomicPool(String v) {
        Kernel k = traced(v);
        Device dev = k.createDevice("dev");
        long before = k.atomicPools().poolSizes()[0] + k.atomicPools().poolSizes()[1]
                + k.atomicPools().poolSizes()[2];
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(dev, 16 << 10, h, Gfp.GFP_ATOMIC);
        assertThat(cpu).isNotZero();
        long base = k.contiguous().defaultArea().basePfn() << 12;
        assertThat(h[0]).as("the boot-time pools took the first 384 KiB of CMA").isBetween(base, base + (384 << 10));
        assertThat(k.remapLinear().isVmallocAddr(cpu)).isTrue();
        assertThat(before).isPositive();
        k.dma().dmaFreeCoherent(dev, 16 << 10, cpu, h[0]);
        assertThat(k.atomicPools().dmaFreeFromPool(dev, cpu, 16 << 10)).as("already given back").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void blocking_nonCoherentDevice_remapsTheCmaBuffer(String v) {
        Kernel k = traced(v);
        Device dev = k.createDevice("dev");
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(dev, 2 * MIB, h, Gfp.GFP_KERNEL);
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isTrue();
        assertThat(k.remapLinear().isVmallocAddr(cpu)).isTrue();
        k.dma().dmaFreeCoherent(dev, 2 * MIB, cpu, h[0]);
        assertThat(DebugVm.check(k.machine().pageAlloc())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10"})
    void x86_cmaAboveTheMask_releasedBack_buddyRetriesInDma32(String v) {
        Kernel k = DmaTestKernels.boot(Boards.PC_X86_64, null, "cma=64M", true);
        k.machine().tracing().enable("cma", true);
        CmaArea area = k.contiguous().defaultArea();
        assertThat(area.basePfn() << 12).as("top of RAM, above 4 GiB").isGreaterThanOrEqualTo(1L << 32);
        Device dev = k.createDevice("dev");
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(dev, MIB, h, Gfp.GFP_KERNEL);
        assertThat(cpu).isNotZero();
        assertThat(h[0] + MIB - 1).isLessThanOrEqualTo(0xffffffffL);
        assertThat(k.machine().tracing().lines()).anyMatch(l -> l.contains("cma_release"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void x86_zoneFromTheMask_24bitIsZoneDma(String v) {
        Kernel k = DmaTestKernels.boot(Boards.PC_X86_64.withProfile(
                dev.dmatrace.kernel.boot.KernelProfile.parse(v)), null, "", true);
        Device dev = k.createDevice("isa");
        assertThat(k.dma().dmaSetCoherentMask(dev, DmaDirect.dmaBitMask(24))).isZero();
        long[] h = new long[1];
        assertThat(k.dma().dmaAllocCoherent(dev, 8192, h, Gfp.GFP_KERNEL)).isNotZero();
        assertThat(h[0]).isLessThan(16 * MIB);
        assertThat(k.dma().dmaSetCoherentMask(dev, DmaDirect.dmaBitMask(20))).as("below ZONE_DMA").isEqualTo(-5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5.10", "6.1"})
    void noKernelMapping_returnsThePageCookie_andFreesByIt(String v) {
        Kernel k = traced(v);
        Device dev = k.createDevice("dev");
        long[] h = new long[1];
        long cookie = k.dma().dmaAllocAttrs(dev, MIB, h, Gfp.GFP_KERNEL, DmaAttrs.DMA_ATTR_NO_KERNEL_MAPPING);
        assertThat(k.remapLinear().pointerToPfn(cookie)).isEqualTo(h[0] >>> 12);
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isTrue();
        k.dma().dmaFreeAttrs(dev, MIB, cookie, h[0], DmaAttrs.DMA_ATTR_NO_KERNEL_MAPPING);
        assertThat(k.machine().tracing().lines()).anyMatch(l -> l.contains("cma_release"));
        assertThat(DebugVm.check(k.machine().pageAlloc())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.12"})
    void dmaTracepoints_only612(String v) {
        Kernel k = arm64(v, "cma=64M");
        k.machine().tracing().enable("dma", true);
        Device dev = k.createDevice("dev");
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(dev, MIB, h, Gfp.GFP_KERNEL);
        k.dma().dmaFreeCoherent(dev, MIB, cpu, h[0]);
        long n = k.machine().tracing().lines().stream().filter(l -> l.contains(": dma_alloc: dev dir=BIDIRECTIONAL")
                || l.contains(": dma_free: dev dir=BIDIRECTIONAL")).count();
        assertThat(n).isEqualTo(v.equals("6.12") ? 2 : 0);
    }
}
