package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.boot.Arch;

/**
 * The kernel's linear map of lowmem: {@code page_address()} / {@code __va()} and {@code virt_to_phys()}. arm64 maps RAM from {@code memstart_addr} (the RAM base rounded down to 1 GiB) at
 * {@code PAGE_OFFSET}, x86-64 maps physical 0 at {@code PAGE_OFFSET}, 32-bit ARM maps {@code PHYS_OFFSET} (the RAM
 * base) at 0xc0000000. The vmalloc area ({@code VMALLOC_START}) holds remapped DMA buffers; {@code vmemmap} is
 * where the {@code struct page} array starts (a {@code DMA_ATTR_NO_KERNEL_MAPPING} cookie is a page pointer).
 */
public record LinearMap(long pageOffset, long physOffset, long vmallocStart, long vmallocEnd, long vmemmap) {

    public static LinearMap of(Arch arch, long ramBase) {
        return switch (arch) {
            case ARM64 -> new LinearMap(0xffff000000000000L, ramBase & -(1L << 30), 0xffff800008000000L,
                    0xfffffbfff0000000L, 0xfffffc0000000000L);
            case X86_64 -> new LinearMap(0xffff888000000000L, 0, 0xffffc90000000000L, 0xffffe8ffffffffffL,
                    0xffffea0000000000L);
            // flatmem: mem_map lives in lowmem; its place is a stand-in
            case ARM -> new LinearMap(0xc0000000L, ramBase, 0xf0000000L, 0xff800000L, 0xef000000L);
        };
    }

    /** page_address() of a lowmem page. */
    public long pageAddress(long pfn) {
        return pageOffset + (pfn << 12) - physOffset;
    }

    /** virt_to_phys() / __pa() of a linear-map address. */
    public long virtToPhys(long addr) {
        return addr - pageOffset + physOffset;
    }

    /** The address of a page's {@code struct page} (64 bytes each). */
    public long pagePointer(long pfn) {
        return vmemmap + pfn * 64;
    }

    /** The pfn of a {@link #pagePointer}. */
    public long pointerToPfn(long pagePointer) {
        return (pagePointer - vmemmap) / 64;
    }

    /** is_vmalloc_addr(). */
    public boolean isVmallocAddr(long addr) {
        return Long.compareUnsigned(addr, vmallocStart) >= 0 && Long.compareUnsigned(addr, vmallocEnd) < 0;
    }
}
