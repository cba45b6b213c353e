package dev.dmatrace.kernel.boot;

import java.util.List;

/**
 * A board: its RAM banks, architecture, kernel profile and cpus, and how much memory the boot reserves at the
 * bottom of RAM before the buddy allocator gets the rest (kernel image, initrd, memmap, page tables: what
 * memblock holds back; chosen per board so that MemTotal comes out like the real machine's).
 */
public record Board(String name, String description, Arch arch, KernelProfile profile, List<Bank> banks, int cpus,
        long bootReservedBytes) {

    /** One RAM bank (a DT /memory reg entry), physical base and size in bytes. */
    public record Bank(long base, long size) {
        public long end() {
            return base + size;
        }
    }

    public Board {
        banks = List.copyOf(banks);
        if (banks.isEmpty() || cpus < 1) {
            throw new IllegalArgumentException("a board needs RAM and at least one cpu");
        }
    }

    public Board withProfile(KernelProfile p) {
        return new Board(name, description, arch, p, banks, cpus, bootReservedBytes);
    }

    /** The same board with other RAM (a devicetree's memory nodes, cut by {@code mem=}). */
    public Board withBanks(List<Bank> ram) {
        return new Board(name, description, arch, profile, ram, cpus, bootReservedBytes);
    }

    public long ramBytes() {
        return banks.stream().mapToLong(Bank::size).sum();
    }
}
