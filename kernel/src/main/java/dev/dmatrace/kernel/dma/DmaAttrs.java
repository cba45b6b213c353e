package dev.dmatrace.kernel.dma;

/** The DMA_ATTR_* bits of include/linux/dma-mapping.h (5.10/6.1 values; 4.4's struct dma_attrs uses the same names). */
public final class DmaAttrs {

    public static final long DMA_ATTR_WEAK_ORDERING = 1L << 1;
    public static final long DMA_ATTR_WRITE_COMBINE = 1L << 2;
    public static final long DMA_ATTR_NO_KERNEL_MAPPING = 1L << 4;
    public static final long DMA_ATTR_SKIP_CPU_SYNC = 1L << 5;
    public static final long DMA_ATTR_FORCE_CONTIGUOUS = 1L << 6;
    public static final long DMA_ATTR_ALLOC_SINGLE_PAGES = 1L << 7;
    public static final long DMA_ATTR_NO_WARN = 1L << 8;
    public static final long DMA_ATTR_PRIVILEGED = 1L << 9;

    private static final Object[][] NAMES = {
        {DMA_ATTR_WEAK_ORDERING, "WEAK_ORDERING"}, {DMA_ATTR_WRITE_COMBINE, "WRITE_COMBINE"},
        {DMA_ATTR_NO_KERNEL_MAPPING, "NO_KERNEL_MAPPING"}, {DMA_ATTR_SKIP_CPU_SYNC, "SKIP_CPU_SYNC"},
        {DMA_ATTR_FORCE_CONTIGUOUS, "FORCE_CONTIGUOUS"}, {DMA_ATTR_ALLOC_SINGLE_PAGES, "ALLOC_SINGLE_PAGES"},
        {DMA_ATTR_NO_WARN, "NO_WARN"}, {DMA_ATTR_PRIVILEGED, "PRIVILEGED"},
    };

    private DmaAttrs() {
    }

    /** decode_dma_attrs() of include/trace/events/dma.h: names joined by "|", empty for 0, unknown bits in hex. */
    public static String format(long attrs) {
        StringBuilder sb = new StringBuilder();
        long rest = attrs;
        for (Object[] e : NAMES) {
            long bit = (Long) e[0];
            if ((rest & bit) != 0) {
                sb.append(sb.length() > 0 ? "|" : "").append((String) e[1]);
                rest &= ~bit;
            }
        }
        if (rest != 0) {
            sb.append(sb.length() > 0 ? "|" : "").append("0x").append(Long.toHexString(rest));
        }
        return sb.toString();
    }
}
