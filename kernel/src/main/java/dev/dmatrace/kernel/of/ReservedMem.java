package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.KernelValue;

/**
 * {@code struct reserved_mem}: one child of {@code /reserved-memory} as the kernel records it. Base and size are
 * 0 for a dynamic region until {@code __reserved_mem_alloc_size} places it; {@code ops} and {@code priv} are set by
 * the init function that claimed it (CMA area or coherent pool).
 */
public final class ReservedMem {

    private final String name;
    private final DeviceNode node;
    private long base;
    private long size;
    private int phandle;
    private ReservedMemOps ops;
    private Object priv;

    ReservedMem(String name, DeviceNode node, long base, long size) {
        this.name = name;
        this.node = node;
        this.base = base;
        this.size = size;
    }

    /** The node's full name ({@code linux,cma}, {@code vpu@78000000}). */
    @KernelValue
    public String name() {
        return name;
    }

    public DeviceNode node() {
        return node;
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    public int phandle() {
        return phandle;
    }

    public boolean isNomap() {
        return node.hasProperty("no-map");
    }

    public boolean isReusable() {
        return node.hasProperty("reusable");
    }

    /** Set by the init function that claimed the region; {@code null} if none did. */
    public ReservedMemOps ops() {
        return ops;
    }

    /** The backing object the init function made ({@code struct cma *} or {@code struct dma_coherent_mem *}). */
    public Object priv() {
        return priv;
    }

    public void setOps(ReservedMemOps ops) {
        this.ops = ops;
    }

    public void setPriv(Object priv) {
        this.priv = priv;
    }

    void place(long newBase, long newSize) {
        this.base = newBase;
        this.size = newSize;
    }

    void setPhandle(int phandle) {
        this.phandle = phandle;
    }

    @Override
    public String toString() {
        return String.format("%s [%#x+%#x]", name, base, size);
    }
}
