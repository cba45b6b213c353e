package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.boot.Arch;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.mm.FreeArea;
import dev.dmatrace.kernel.mm.Memblock;

/**
 * The machine's kernel profile and architecture as the boot front end sees them, with the of-specific facts that
 * differ between versions (message prefixes, table sizes, {@code %pa} width). 6.12 behaves as 6.1 here.
 *
 * @param kernel the kernel version
 * @param arch   decides {@code pageblock_order}, {@code sizeof(phys_addr_t)} and the {@code CONFIG_ARM} branches
 */
public record OfProfile(KernelProfile kernel, Arch arch) {

    static final long PAGE_SIZE = Memblock.PAGE_SIZE;

    /** A profile from a version string ("4.4", "5.10", "6.1", "6.12"). */
    public OfProfile(String version, Arch arch) {
        this(parse(version), arch);
    }

    private static KernelProfile parse(String version) {
        KernelProfile p = KernelProfile.parse(version);
        if (p == null) {
            throw new IllegalArgumentException("kernel version must be 4.4, 5.10, 6.1 or 6.12, not " + version);
        }
        return p;
    }

    public boolean is44() {
        return !kernel.atLeast(KernelProfile.V5_10);
    }

    /** 6.1 or later. */
    public boolean is61() {
        return kernel.atLeast(KernelProfile.V6_1);
    }

    /** {@code MAX_RESERVED_REGIONS} in drivers/of/of_reserved_mem.c. */
    public int maxReservedRegions() {
        return is44() ? 16 : 64;
    }

    /**
     * The alignment a CMA region needs: {@code PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order)} in 4.4 and 5.10,
     * {@code CMA_MIN_ALIGNMENT_BYTES} ({@code PAGE_SIZE * pageblock_nr_pages}) in 6.1.
     */
    public long cmaMinAlignmentBytes() {
        int pageblockOrder = arch.pageblockOrder();
        int order = is61() ? pageblockOrder : Math.max(FreeArea.MAX_ORDER - 1, pageblockOrder);
        return PAGE_SIZE << order;
    }

    /** ARM's {@code linux,dma-default} global coherent pool: 5.10 only (4.4 lacks it, 6.1 needs !MMU). */
    public boolean armDmaDefaultPool() {
        return arch == Arch.ARM && !is44() && !is61();
    }

    /** {@code %pa}: {@code 0x} and {@code 2 * sizeof(phys_addr_t)} zero-padded hex digits (ARM: no LPAE). */
    public String pa(long addr) {
        return arch == Arch.ARM ? String.format("0x%08x", addr) : String.format("0x%016x", addr);
    }

    /** The pr_fmt of drivers/of/fdt.c: none in 4.4, {@code "OF: fdt: "} later. */
    String fdtPrefix() {
        return is44() ? "" : "OF: fdt: ";
    }

    /** of_reserved_mem.c: 4.4 spells {@code "Reserved memory: "} in each message, later the pr_fmt does it. */
    String rmemPrefix() {
        return is44() ? "Reserved memory: " : "OF: reserved mem: ";
    }
}
