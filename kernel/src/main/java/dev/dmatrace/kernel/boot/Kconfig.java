package dev.dmatrace.kernel.boot;

/**
 * The build options of the DMA path that differ between the modelled kernels (Debian's configs for arm64 and
 * x86-64, multi_v7 for 32-bit ARM). {@code zoneDmaBits} is {@code zone_dma_bits}; arm64 6.1 derives it from the
 * highest RAM address at boot (see {@link #forRam}).
 *
 * @param cmaSizeMbytes {@code CONFIG_CMA_SIZE_MBYTES}; 0 means no default CMA area unless {@code cma=} asks
 */
public record Kconfig(boolean zoneDma, boolean zoneDma32, int zoneDmaBits, boolean dmaDirectRemap,
        boolean dmaCoherentPool, long cmaSizeMbytes) {

    /** The defaults for an architecture and version. */
    public static Kconfig defaults(Arch arch, KernelProfile profile) {
        return switch (arch) {
            // arm64 selects DMA_DIRECT_REMAP (and so DMA_COHERENT_POOL); 5.10 has a fixed 30-bit ZONE_DMA
            case ARM64 -> new Kconfig(true, profile.atLeast(KernelProfile.V5_10), 
                    profile.atLeast(KernelProfile.V6_1) ? 32 : 30, true, profile.atLeast(KernelProfile.V5_10), 64);
            // Debian amd64: AMD_MEM_ENCRYPT selects DMA_COHERENT_POOL; CONFIG_CMA is off (no default area)
            case X86_64 -> new Kconfig(true, true, 24, false, profile.atLeast(KernelProfile.V5_10), 0);
            // multi_v7: no ZONE_DMA, the ARM atomic pool instead of kernel/dma/pool.c, CMA_SIZE_MBYTES=64
            case ARM -> new Kconfig(false, false, 32, false, false, 64);
        };
    }

    /** arm64 6.1 zone_sizes_init(): zone_dma_bits = min(32, fls64(highest CPU address)) on a DT machine. */
    public Kconfig forRam(Arch arch, KernelProfile profile, long ramEnd) {
        if (arch != Arch.ARM64 || !profile.atLeast(KernelProfile.V6_1)) {
            return this;
        }
        int bits = Math.min(32, 64 - Long.numberOfLeadingZeros(ramEnd - 1));
        return new Kconfig(zoneDma, zoneDma32, bits, dmaDirectRemap, dmaCoherentPool, cmaSizeMbytes);
    }

    public Kconfig withCmaSizeMbytes(long mbytes) {
        return new Kconfig(zoneDma, zoneDma32, zoneDmaBits, dmaDirectRemap, dmaCoherentPool, mbytes);
    }
}
