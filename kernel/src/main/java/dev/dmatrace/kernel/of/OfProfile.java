package dev.dmatrace.kernel.of;

import java.util.Set;

/**
 * The kernel version and architecture the boot front end reproduces, with the constants that differ between them.
 * A stand-in for the machine profile the boot code will carry; only the facts {@code of/} needs live here.
 *
 * @param version "4.4", "5.10" or "6.1"
 * @param arch    decides {@code pageblock_order}, {@code sizeof(phys_addr_t)} and the {@code CONFIG_ARM} branches
 */
public record OfProfile(String version, Arch arch) {

    public enum Arch { ARM, ARM64, X86_64 }

    static final long PAGE_SIZE = 4096;
    static final int MAX_ORDER = 11;

    public OfProfile {
        if (!Set.of("4.4", "5.10", "6.1").contains(version)) {
            throw new IllegalArgumentException("kernel version must be 4.4, 5.10 or 6.1, not " + version);
        }
    }

    public boolean is44() {
        return version.equals("4.4");
    }

    public boolean is61() {
        return version.equals("6.1");
    }

    /** {@code MAX_RESERVED_REGIONS} in drivers/of/of_reserved_mem.c. */
    public int maxReservedRegions() {
        return is44() ? 16 : 64;
    }

    /** 32-bit ARM without hugetlb uses {@code MAX_ORDER - 1}; arm64/4K and x86-64 use the 2 MiB huge page order. */
    public int pageblockOrder() {
        return arch == Arch.ARM ? MAX_ORDER - 1 : 9;
    }

    /**
     * The alignment a CMA region needs: {@code PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order)} in 4.4 and 5.10,
     * {@code CMA_MIN_ALIGNMENT_BYTES} ({@code PAGE_SIZE * pageblock_nr_pages}) in 6.1.
     */
    public long cmaMinAlignmentBytes() {
        int order = is61() ? pageblockOrder() : Math.max(MAX_ORDER - 1, pageblockOrder());
        return PAGE_SIZE << order;
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
