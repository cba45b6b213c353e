package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Zone;

/**
 * The arch code that gives free_area_init() its max_zone_pfns[]: the end pfn (exclusive) of each zone, by
 * architecture and version. Zones not configured for the arch end where the zone below ends (empty).
 */
final class ZoneSizes {

    private static final long GIB4 = 1L << 32;

    private ZoneSizes() {
    }

    /** max_zone_pfns[] for RAM spanning [ramStart, ramEnd). */
    static long[] maxZonePfns(Arch arch, KernelProfile profile, long ramStart, long ramEnd) {
        return switch (arch) {
            case ARM64 -> arm64(profile, ramStart, ramEnd);
            case X86_64 -> x86(ramEnd);
            case ARM -> arm(ramStart, ramEnd);
        };
    }

    /**
     * arch/arm64/mm/init.c zone_sizes_init(). [6.1] zone_dma_bits = min3(32, DT, ACPI) = 32 without dma-ranges,
     * so DMA reaches max_zone_phys(32) and DMA32 is empty; [5.10] ZONE_DMA = 30 bits from the start of DRAM
     * (ARM64_ZONE_DMA_BITS), ZONE_DMA32 = 32 bits; [4.4] a single ZONE_DMA up to 4 GiB from the start of DRAM.
     */
    @KernelFunction(symbol = "zone_sizes_init", file = "arch/arm64/mm/init.c")
    static long[] arm64(KernelProfile profile, long ramStart, long ramEnd) {
        long[] max = new long[Zone.MAX_NR_ZONES];
        long dma;
        long dma32;
        if (profile.atLeast(KernelProfile.V6_1)) {
            dma = maxZonePhys61(32, ramStart, ramEnd);
            dma32 = maxZonePhys61(32, ramStart, ramEnd);
        } else if (profile.atLeast(KernelProfile.V5_10)) {
            dma = maxZonePhys510(30, ramStart, ramEnd);
            dma32 = maxZonePhys510(32, ramStart, ramEnd);
        } else {
            dma = Math.min((ramStart & ~(GIB4 - 1)) + GIB4, ramEnd);
            dma32 = dma;
        }
        max[Zone.ZONE_DMA] = dma >>> 12;
        max[Zone.ZONE_DMA32] = Math.max(dma, dma32) >>> 12;
        max[Zone.ZONE_NORMAL] = ramEnd >>> 12;
        max[Zone.ZONE_HIGHMEM] = max[Zone.ZONE_NORMAL];
        max[Zone.ZONE_MOVABLE] = max[Zone.ZONE_NORMAL];
        return max;
    }

    /** max_zone_phys() [6.1]. */
    private static long maxZonePhys61(int zoneBits, long physStart, long ramEnd) {
        long zoneMask = (1L << zoneBits) - 1;
        if (physStart > 0xffffffffL) {
            zoneMask = Long.MAX_VALUE;
        } else if (physStart > zoneMask) {
            zoneMask = 0xffffffffL;
        }
        return Math.min(zoneMask, ramEnd - 1) + 1;
    }

    /** max_zone_phys() [5.10]. */
    private static long maxZonePhys510(int zoneBits, long physStart, long ramEnd) {
        long offset = physStart & ~((1L << zoneBits) - 1);
        return Math.min(offset + (1L << zoneBits), ramEnd);
    }

    /** arch/x86/mm/init.c zone_sizes_init(): DMA below 16 MiB (MAX_DMA_PFN), DMA32 below 4 GiB, Normal above. */
    @KernelFunction(symbol = "zone_sizes_init", file = "arch/x86/mm/init.c")
    static long[] x86(long ramEnd) {
        long[] max = new long[Zone.MAX_NR_ZONES];
        long end = ramEnd >>> 12;
        max[Zone.ZONE_DMA] = Math.min((16L << 20) >>> 12, end);
        max[Zone.ZONE_DMA32] = Math.min(GIB4 >>> 12, end);
        max[Zone.ZONE_NORMAL] = end;
        max[Zone.ZONE_HIGHMEM] = end;
        max[Zone.ZONE_MOVABLE] = end;
        return max;
    }

    /**
     * arch/arm/mm/init.c zone_sizes_init() [4.4]: lowmem in ZONE_NORMAL (no ZONE_DMA on boards without
     * arm_dma_zone_size), HIGHMEM above arm_lowmem_limit: 768 MiB of lowmem with the default 240 MiB vmalloc area
     * and a 3G/1G split (VMALLOC_END 0xff800000 - 240 MiB - VMALLOC_OFFSET, minus PAGE_OFFSET).
     */
    @KernelFunction(symbol = "zone_sizes_init", file = "arch/arm/mm/init.c", versions = {"4.4"})
    static long[] arm(long ramStart, long ramEnd) {
        long[] max = new long[Zone.MAX_NR_ZONES];
        long lowmemLimit = Math.min(ramStart + (768L << 20), ramEnd);
        max[Zone.ZONE_DMA] = ramStart >>> 12;
        max[Zone.ZONE_DMA32] = ramStart >>> 12;
        max[Zone.ZONE_NORMAL] = lowmemLimit >>> 12;
        max[Zone.ZONE_HIGHMEM] = ramEnd >>> 12;
        max[Zone.ZONE_MOVABLE] = ramEnd >>> 12;
        return max;
    }
}
