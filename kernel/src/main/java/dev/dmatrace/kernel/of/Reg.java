package dev.dmatrace.kernel.of;

/** One (base, size) pair of a {@code reg}, {@code alloc-ranges} or {@code /memreserve/} entry. */
public record Reg(long base, long size) {

    @Override
    public String toString() {
        return String.format("0x%x+0x%x", base, size);
    }
}
