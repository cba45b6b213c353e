package dev.dmatrace.kernel.boot;

import java.util.List;

/** The built-in boards. */
public final class Boards {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** The default board: QEMU arm64 virt, 6.1, 1 GiB at 0x40000000, 2 cpus. */
    public static final Board VIRT_ARM64 = new Board("virt-arm64", "QEMU arm64 virt, 1 GiB at 0x40000000",
            Arch.ARM64, KernelProfile.V6_1, List.of(new Board.Bank(0x40000000L, GIB)), 2, 40 * MIB);

    /** The oracle's machine: 512 MiB, 1 cpu; the reservation makes MemTotal 486660 kB as on the real 6.1 boot. */
    public static final Board ORACLE_ARM64_512M = new Board("oracle-arm64-512m",
            "the kernel oracle's QEMU arm64 virt, 512 MiB at 0x40000000 (MemTotal as the recorded 6.1 boots)",
            Arch.ARM64, KernelProfile.V6_1, List.of(new Board.Bank(0x40000000L, 512 * MIB)), 1, 37628L * 1024);

    /** A 32-bit ARM board of the 4.4 era: Versatile Express-like, 512 MiB at 0x60000000. */
    public static final Board VEXPRESS_ARM_44 = new Board("vexpress-arm", "32-bit ARM (Versatile Express-like), "
            + "4.4, 512 MiB at 0x60000000", Arch.ARM, KernelProfile.V4_4,
            List.of(new Board.Bank(0x60000000L, 512 * MIB)), 2, 16 * MIB);

    /** A PC: 3 GiB below the 4 GiB hole and 1 GiB above it, so DMA, DMA32 and Normal are all populated. */
    public static final Board PC_X86_64 = new Board("pc-x86_64", "x86-64 PC, 5.10, 3 GiB + 1 GiB above 4 GiB",
            Arch.X86_64, KernelProfile.V5_10,
            List.of(new Board.Bank(0x100000L, 3 * GIB - 0x100000L), new Board.Bank(4 * GIB, GIB)), 2, 8 * MIB);

    private static final List<Board> ALL = List.of(VIRT_ARM64, ORACLE_ARM64_512M, VEXPRESS_ARM_44, PC_X86_64);

    private Boards() {
    }

    public static List<Board> all() {
        return ALL;
    }

    /** The board named {@code name}, or null. */
    public static Board byName(String name) {
        for (Board b : ALL) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        return null;
    }
}
