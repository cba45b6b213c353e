package dev.dmatrace.kernel.mm;

/**
 * gfp_t (include/linux/gfp_types.h of 6.1, the bit values 4.4 and 5.10 share for the flags used here),
 * gfp_zone() / gfp_migratetype() (include/linux/gfp.h) and show_gfp_flags() (include/trace/events/mmflags.h).
 * KASAN and lockdep bits are zero as in a kernel built without those options.
 */
public final class Gfp {

    public static final long __GFP_DMA = 0x01;
    public static final long __GFP_HIGHMEM = 0x02;
    public static final long __GFP_DMA32 = 0x04;
    public static final long __GFP_MOVABLE = 0x08;
    public static final long __GFP_RECLAIMABLE = 0x10;
    public static final long __GFP_HIGH = 0x20;
    public static final long __GFP_IO = 0x40;
    public static final long __GFP_FS = 0x80;
    public static final long __GFP_ZERO = 0x100;
    public static final long __GFP_ATOMIC = 0x200;
    public static final long __GFP_DIRECT_RECLAIM = 0x400;
    public static final long __GFP_KSWAPD_RECLAIM = 0x800;
    public static final long __GFP_WRITE = 0x1000;
    public static final long __GFP_NOWARN = 0x2000;
    public static final long __GFP_RETRY_MAYFAIL = 0x4000;
    public static final long __GFP_NOFAIL = 0x8000;
    public static final long __GFP_NORETRY = 0x10000;
    public static final long __GFP_MEMALLOC = 0x20000;
    public static final long __GFP_COMP = 0x40000;
    public static final long __GFP_NOMEMALLOC = 0x80000;
    public static final long __GFP_HARDWALL = 0x100000;
    public static final long __GFP_THISNODE = 0x200000;
    public static final long __GFP_ACCOUNT = 0x400000;
    public static final long __GFP_ZEROTAGS = 0x800000;

    public static final long __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;
    public static final long GFP_ZONEMASK = __GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE;
    public static final long GFP_MOVABLE_MASK = __GFP_RECLAIMABLE | __GFP_MOVABLE;
    public static final int GFP_MOVABLE_SHIFT = 3;

    public static final long GFP_ATOMIC = __GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM;
    public static final long GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
    public static final long GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
    public static final long GFP_NOWAIT = __GFP_KSWAPD_RECLAIM;
    public static final long GFP_NOIO = __GFP_RECLAIM;
    public static final long GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
    public static final long GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
    public static final long GFP_DMA = __GFP_DMA;
    public static final long GFP_DMA32 = __GFP_DMA32;
    public static final long GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
    public static final long GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;
    public static final long GFP_TRANSHUGE_LIGHT = (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN)
            & ~__GFP_RECLAIM;
    public static final long GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM;

    /** __def_gfpflag_names, in the kernel's order: composite names first, so they win. */
    private static final Object[][] NAMES = {
        {GFP_TRANSHUGE, "GFP_TRANSHUGE"}, {GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT"},
        {GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"}, {GFP_HIGHUSER, "GFP_HIGHUSER"}, {GFP_USER, "GFP_USER"},
        {GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"}, {GFP_KERNEL, "GFP_KERNEL"}, {GFP_NOFS, "GFP_NOFS"},
        {GFP_ATOMIC, "GFP_ATOMIC"}, {GFP_NOIO, "GFP_NOIO"}, {GFP_NOWAIT, "GFP_NOWAIT"}, {GFP_DMA, "GFP_DMA"},
        {__GFP_HIGHMEM, "__GFP_HIGHMEM"}, {GFP_DMA32, "GFP_DMA32"}, {__GFP_HIGH, "__GFP_HIGH"},
        {__GFP_ATOMIC, "__GFP_ATOMIC"}, {__GFP_IO, "__GFP_IO"}, {__GFP_FS, "__GFP_FS"},
        {__GFP_NOWARN, "__GFP_NOWARN"}, {__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"},
        {__GFP_NOFAIL, "__GFP_NOFAIL"}, {__GFP_NORETRY, "__GFP_NORETRY"}, {__GFP_COMP, "__GFP_COMP"},
        {__GFP_ZERO, "__GFP_ZERO"}, {__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"}, {__GFP_MEMALLOC, "__GFP_MEMALLOC"},
        {__GFP_HARDWALL, "__GFP_HARDWALL"}, {__GFP_THISNODE, "__GFP_THISNODE"},
        {__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"}, {__GFP_MOVABLE, "__GFP_MOVABLE"},
        {__GFP_ACCOUNT, "__GFP_ACCOUNT"}, {__GFP_WRITE, "__GFP_WRITE"}, {__GFP_RECLAIM, "__GFP_RECLAIM"},
        {__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"}, {__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"},
        {__GFP_ZEROTAGS, "__GFP_ZEROTAGS"},
    };

    private Gfp() {
    }

    /**
     * show_gfp_flags(): {@code __print_flags(flags, "|", ...)} over the name table, each name taken when all its
     * bits are set, leftover bits as {@code 0x%lx}; {@code "none"} for 0.
     */
    public static String format(long flags) {
        if (flags == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        long rest = flags;
        for (Object[] e : NAMES) {
            long mask = (Long) e[0];
            if (mask != 0 && (rest & mask) == mask) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append((String) e[1]);
                rest &= ~mask;
            }
        }
        if (rest != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append("0x").append(Long.toHexString(rest));
        }
        return sb.toString();
    }

    /** gfp_migratetype(): (gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT. */
    public static int gfpMigratetype(long gfp) {
        return (int) ((gfp & GFP_MOVABLE_MASK) >>> GFP_MOVABLE_SHIFT);
    }

    /**
     * gfp_zone(): the highest zone a request may use. __GFP_DMA -> ZONE_DMA, __GFP_DMA32 -> ZONE_DMA32,
     * __GFP_HIGHMEM -> ZONE_HIGHMEM (ZONE_NORMAL without highmem), __GFP_HIGHMEM|__GFP_MOVABLE -> ZONE_MOVABLE,
     * otherwise ZONE_NORMAL. (GFP_ZONE_TABLE; invalid combinations are a BUG in the kernel, rejected here.)
     */
    public static int gfpZone(long gfp) {
        long z = gfp & GFP_ZONEMASK;
        if (z == 0 || z == __GFP_MOVABLE) {
            return Zone.ZONE_NORMAL;
        }
        if (z == __GFP_DMA || z == (__GFP_DMA | __GFP_MOVABLE)) {
            return Zone.ZONE_DMA;
        }
        if (z == __GFP_DMA32 || z == (__GFP_DMA32 | __GFP_MOVABLE)) {
            return Zone.ZONE_DMA32;
        }
        if (z == __GFP_HIGHMEM) {
            return Zone.ZONE_HIGHMEM;
        }
        if (z == (__GFP_HIGHMEM | __GFP_MOVABLE)) {
            return Zone.ZONE_MOVABLE;
        }
        throw new IllegalArgumentException("GFP_ZONE_BAD: " + format(gfp));
    }

    public static boolean gfpflagsAllowBlocking(long gfp) {
        return (gfp & __GFP_DIRECT_RECLAIM) != 0;
    }
}
