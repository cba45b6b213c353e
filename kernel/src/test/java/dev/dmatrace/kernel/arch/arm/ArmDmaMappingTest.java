package dev.dmatrace.kernel.arch.arm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.BootOptions;
import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.dma.DmaCoherentMem;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.mm.DebugVm;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.of.DtsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** §12.1 of the reference, 32-bit ARM: __dma_alloc's decisions, the backends and the free path per version. */
class ArmDmaMappingTest {

    private static final long MIB = 1L << 20;

    private static Kernel arm(String version, String cmdline, ArmDmaMapping.Order order) {
        Board b = Boards.VEXPRESS_ARM_44.withProfile(KernelProfile.parse(version));
        BootOptions o = BootOptions.defaults(b).withDmaApiDebug(true);
        try {
            Kernel k = Kernel.boot(b, null, cmdline, order == null ? o : o.withArmOrder(order));
            k.machine().tracing().enable("cma", true);
            k.machine().tracing().enable("kmem/mm_page_alloc", true);
            return k;
        } catch (DtsException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Device device(Kernel k, boolean coherent) {
        Device d = k.createDevice(coherent ? "coherent" : "noncoherent");
        d.dmaCoherent = coherent;
        k.setupDmaOps(d);
        assertThat(k.dma().dmaSetCoherentMask(d, 0xffffffffL)).isZero();
        return d;
    }

    private static boolean inArea(CmaArea a, long h) {
        return a != null && (h >>> 12) >= a.basePfn() && (h >>> 12) < a.basePfn() + a.count();
    }

    private static boolean traced(Kernel k, String s) {
        return k.machine().tracing().lines().stream().anyMatch(l -> l.contains(s));
    }

    @Test
    void mapSingle_v44_goesThroughArmDmaOps_andTakesANullDevice() {
        Kernel k = arm("4.4", "cma=64M", null);
        long pfn = k.machine().memMap().startPfn() + 0x100;
        long addr = k.dma().dmaMapSingle(null, k.remapLinear().pageAddress(pfn) + 64, 2048,
                dev.dmatrace.kernel.dma.DmaMapping.DMA_TO_DEVICE);
        assertThat(addr).isEqualTo((pfn << 12) + 64);
        assertThat(k.dma().dmaMappingError(null, addr)).isZero();
        k.dma().dmaUnmapSingle(null, addr, 2048, dev.dmatrace.kernel.dma.DmaMapping.DMA_TO_DEVICE);
        assertThat(k.dma().debug().errorCount()).isZero();
        assertThat(k.dma().debug().entries()).isEmpty();
    }

    @Test
    void mapSingle_v510_goesThroughArmDmaOps_andANullDeviceOopses() {
        Kernel k = arm("5.10", "cma=64M", null);
        Device d = device(k, false);
        long pfn = k.machine().memMap().startPfn() + 0x100;
        long cpu = k.remapLinear().pageAddress(pfn);
        assertThat(k.dma().dmaMapSingle(d, cpu, 4096, dev.dmatrace.kernel.dma.DmaMapping.DMA_FROM_DEVICE))
                .isEqualTo(pfn << 12);
        org.assertj.core.api.Assertions.assertThatNullPointerException().isThrownBy(() ->
                k.dma().dmaMapSingle(null, cpu, 4096, dev.dmatrace.kernel.dma.DmaMapping.DMA_FROM_DEVICE));
    }

    @Test
    void mappingError_v44_isOneAsDmaErrorCodeCompares_v510_isMinusEnomem() {
        assertThat(arm("4.4", "", null).dma().dmaMappingError(null, -1L)).isEqualTo(1);
        assertThat(arm("5.10", "", null).dma().dmaMappingError(null, -1L)).isEqualTo(-12);
    }

    @Test
    void unsetMask_v44_isNullWithTheKernelsWarning() {
        Kernel k = arm("4.4", "cma=64M", null);
        Device d = k.createDevice("nomask");
        assertThat(k.dma().dmaAllocCoherent(d, MIB, new long[1], Gfp.GFP_KERNEL)).isZero();
        assertThat(k.bootLog()).isNotNull();
        assertThat(k.machine().printk().lines()).contains("platform nomask: coherent DMA mask is unset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.4", "5.10", "6.1"})
    void blockingWithCmaArea_cma_exactCount_andNoBuddyFallback(String v) {
        Kernel k = arm(v, "cma=16M", null);
        Device d = device(k, false);
        long[] h = new long[1];
        assertThat(k.dma().dmaAllocCoherent(d, 3 * 4096, h, Gfp.GFP_KERNEL)).isNotZero();
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isTrue();
        assertThat(traced(k, "count=3 align=2")).isTrue();
        assertThat(k.dma().dmaAllocCoherent(d, 32 * MIB, h, Gfp.GFP_KERNEL)).as("larger than the area").isZero();
        assertThat(traced(k, "mm_page_alloc:")).as("no buddy attempt").isFalse();
    }

    @Test
    void seed_alloc200M_withCma64M_v44_nullWithoutAnyBuddyAttempt() {
        Kernel k = arm("4.4", "cma=64M", null);
        Device d = device(k, false);
        assertThat(k.dma().dmaAllocCoherent(d, 200 * MIB, new long[1], Gfp.GFP_KERNEL)).isZero();
        assertThat(traced(k, "cma_alloc: pfn=ffffffff page=00000000 count=51200 align=8")).isTrue();
        assertThat(traced(k, "mm_page_alloc:")).isFalse();
        assertThat(k.machine().printk().lines()).noneMatch(l -> l.startsWith("WARNING"));
        assertThat(DebugVm.check(k.machine().pageAlloc())).isEmpty();
    }

    @Test
    void dmaApiDebug_allocationAtLeastTheMaskRange_isTooBig() {
        Kernel k = arm("4.4", "cma=16M", null);
        Device d = device(k, false);
        assertThat(k.dma().dmaSetCoherentMask(d, (1L << 29) - 1)).as("below RAM's end: refused").isNotZero();
        d.coherentDmaMask = (1L << 20) - 1;
        assertThat(k.dma().dmaAllocCoherent(d, MIB, new long[1], Gfp.GFP_KERNEL)).isZero();
        assertThat(k.machine().printk().lines()).anyMatch(l -> l.contains("covers a smaller range of system memory"));
        Kernel k2 = arm("5.10", "cma=16M", null);
        Device d2 = device(k2, false);
        d2.coherentDmaMask = (1L << 20) - 1;
        assertThat(k2.dma().dmaAllocCoherent(d2, MIB, new long[1], Gfp.GFP_KERNEL)).isZero();
        assertThat(k2.machine().printk().lines())
                .contains("platform noncoherent: coherent allocation too big (requested 0x100000 mask 0xfffff)");
    }

    @Test
    void coherentDevice_v44_blocking_takesTheCmaBranch() {
        Kernel k = arm("4.4", "cma=16M", null);
        Device d = device(k, true);
        assertThat(d.ops.name()).isEqualTo("arm_coherent_dma_ops");
        long[] h = new long[1];
        assertThat(k.dma().dmaAllocCoherent(d, MIB, h, Gfp.GFP_KERNEL)).isNotZero();
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isTrue();
    }

    @Test
    void coherentDevice_v41Order_blocking_simpleBuffer_tailPagesFreedBack() {
        Kernel k = arm("4.4", "cma=16M", ArmDmaMapping.Order.V4_1);
        Device d = device(k, true);
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(d, 3 * 4096, h, Gfp.GFP_KERNEL);
        assertThat(cpu).isEqualTo(k.remapLinear().pageAddress(h[0] >>> 12));
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isFalse();
        long pfn = h[0] >>> 12;
        assertThat(k.machine().memMap().pageCount(pfn + 2)).isEqualTo(1);
        assertThat(k.machine().memMap().pageCount(pfn + 3)).as("order-2 block, fourth page freed back").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.4", "5.10", "6.1"})
    void nonBlocking_nonCoherent_atomicPool(String v) {
        Kernel k = arm(v, "cma=16M", null);
        Device d = device(k, false);
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(d, 16 << 10, h, Gfp.GFP_ATOMIC);
        assertThat(k.arm().atomicPool().hasAddr(cpu, 16 << 10)).isTrue();
        long base = k.contiguous().defaultArea().basePfn() << 12;
        assertThat(h[0]).as("pool taken from CMA at boot").isBetween(base, base + (256 << 10));
        k.dma().dmaFreeCoherent(d, 16 << 10, cpu, h[0]);
        assertThat(k.arm().atomicPool().avail()).isEqualTo(256 << 10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.4", "5.10"})
    void noCma_blocking_nonCoherent_remappedBuddyBuffer(String v) {
        Kernel k = arm(v, "cma=0", null);
        Device d = device(k, false);
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(d, 64 << 10, h, Gfp.GFP_KERNEL);
        assertThat(k.remapLinear().isVmallocAddr(cpu)).isTrue();
        assertThat(k.bootLog()).contains("DMA: preallocated 256 KiB pool for atomic coherent allocations");
        k.dma().dmaFreeCoherent(d, 64 << 10, cpu, h[0]);
        assertThat(k.machine().memMap().pageCount(h[0] >>> 12)).isZero();
        assertThat(DebugVm.check(k.machine().pageAlloc())).isEmpty();
    }

    @Test
    void leakQuirk_v44_coherentNonBlockingBufferIsHandedToCmaRelease_andLeaks() {
        Kernel k = arm("4.4", "cma=16M", null);
        Device d = device(k, true);
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(d, 8192, h, Gfp.GFP_ATOMIC);
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).as("simple buffer from the buddy").isFalse();
        assertThat(k.dma().debug().entries()).hasSize(1);
        k.dma().dmaFreeCoherent(d, 8192, cpu, h[0]);
        assertThat(traced(k, "cma_release")).as("cma_release refused the pages, no event").isFalse();
        assertThat(k.machine().memMap().pageCount(h[0] >>> 12)).as("leaked").isEqualTo(1);
        assertThat(k.dma().debug().entries()).as("dma-debug considers it freed").isEmpty();
    }

    @Test
    void allocatorTable_v510_freesTheSameBufferCorrectly_andRejectsUnknownAddresses() {
        Kernel k = arm("5.10", "cma=16M", null);
        Device d = device(k, true);
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(d, 8192, h, Gfp.GFP_ATOMIC);
        k.dma().dmaFreeCoherent(d, 8192, cpu, h[0]);
        assertThat(k.machine().memMap().pageCount(h[0] >>> 12)).isZero();
        k.arm().armDmaFree(d, 8192, 0xdead0000L, 0x60000000L, 0, true);
        assertThat(k.machine().printk().lines()).contains("Freeing invalid buffer 00000000dead0000");
    }

    @Test
    void v61_coherentDevice_takesGenericDmaDirect_nonCoherent_archDmaAlloc() {
        Kernel k = arm("6.1", "cma=16M", null);
        Device c = device(k, true);
        Device n = device(k, false);
        assertThat(c.ops).isNull();
        long[] h = new long[1];
        long cpu = k.dma().dmaAllocCoherent(c, 4096, h, Gfp.GFP_ATOMIC);
        assertThat(cpu).isEqualTo(k.remapLinear().pageAddress(h[0] >>> 12));
        assertThat(k.arm().atomicPool().hasAddr(k.dma().dmaAllocCoherent(n, 4096, h, Gfp.GFP_ATOMIC), 4096))
                .as("non-coherent: __dma_alloc's pool").isTrue();
    }

    @Test
    void declaredPool_v44_nonExclusive_fallsBack_exclusive_doesNot() {
        Kernel k = arm("4.4", "cma=16M", null);
        Device d = device(k, false);
        assertThat(k.coherent().dmaDeclareCoherentMemory(d, 0x48000000L, 0x48000000L, MIB,
                DmaCoherentMem.DMA_MEMORY_MAP)).isZero();
        long[] h = new long[1];
        assertThat(k.dma().dmaAllocCoherent(d, MIB, h, Gfp.GFP_KERNEL)).isNotZero();
        assertThat(h[0]).as("device memory outside RAM").isEqualTo(0x48000000L);
        assertThat(k.dma().dmaAllocCoherent(d, 4096, h, Gfp.GFP_KERNEL)).as("full, not exclusive").isNotZero();
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).as("on to arm_dma_alloc: CMA").isTrue();
        Device x = device(k, false);
        k.coherent().dmaDeclareCoherentMemory(x, 0x49000000L, 0x49000000L, MIB,
                DmaCoherentMem.DMA_MEMORY_MAP | DmaCoherentMem.DMA_MEMORY_EXCLUSIVE);
        k.dma().dmaAllocCoherent(x, MIB, h, Gfp.GFP_KERNEL);
        assertThat(k.dma().dmaAllocCoherent(x, 4096, h, Gfp.GFP_KERNEL)).as("exclusive and full").isZero();
    }

    @Test
    void nullDevice_v44_isAllowed_defaultMaskAndArea() {
        Kernel k = arm("4.4", "cma=16M", null);
        long[] h = new long[1];
        assertThat(k.dma().dmaAllocCoherent(null, MIB, h, Gfp.GFP_KERNEL)).isNotZero();
        assertThat(inArea(k.contiguous().defaultArea(), h[0])).isTrue();
    }
}
