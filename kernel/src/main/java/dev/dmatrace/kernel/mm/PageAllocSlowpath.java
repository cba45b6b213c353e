package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.AllocFlags.*;
import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.KernelFlags;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.sched.Current;

/**
 * mm/page_alloc.c, the slow path of allocation as far as the port goes without reclaim: gfp_to_alloc_flags(),
 * the retry at the min watermark, and warn_alloc().
 */
public final class PageAllocSlowpath {

    private final PageAlloc pa;
    private long lastWarnAllocNanos = Long.MIN_VALUE;

    PageAllocSlowpath(PageAlloc pa) {
        this.pa = pa;
    }

    /**
     * __alloc_pages_slowpath(), reduced to what needs no reclaim: the gfp_to_alloc_flags() flags (min watermark,
     * reserves for atomic and __GFP_HIGH requests), waking kswapd, the retry (without watermarks for
     * __GFP_MEMALLOC), then failure with warn_alloc(). Reclaim, compaction, OOM and the __GFP_NOFAIL loop are not
     * modelled: the request fails where the kernel would start reclaiming.
     */
    @KernelFunction(symbol = "__alloc_pages_slowpath", file = "mm/page_alloc.c")
    long allocPagesSlowpath(@KernelFlags(Gfp.class) long gfpMask, int order, int highestZoneidx, int migratetype) {
        if (order >= PageAlloc.MAX_ORDER) {
            // [4.4] the order check lives here
            if ((gfpMask & Gfp.__GFP_NOWARN) == 0) {
                pa.warnOnce("__alloc_pages_slowpath");
            }
            return Page.NULL;
        }
        int allocFlags = gfpToAllocFlags(gfpMask, order);
        if ((allocFlags & ALLOC_KSWAPD) != 0) {
            for (Zone z : pa.zonelist) {
                if (z.idx <= highestZoneidx) {
                    pa.wakeupKswapd(z);
                }
            }
        }
        long page = pa.getPageFromFreelist(gfpMask, order, allocFlags, highestZoneidx, migratetype);
        if (page != Page.NULL) {
            return page;
        }
        // retry: __gfp_pfmemalloc_flags() lets __GFP_MEMALLOC ignore the watermarks, then the kernel tries again
        if ((gfpMask & Gfp.__GFP_NOMEMALLOC) == 0 && (gfpMask & Gfp.__GFP_MEMALLOC) != 0) {
            allocFlags = ALLOC_NO_WATERMARKS | (migratetype == MIGRATE_MOVABLE ? ALLOC_CMA : 0)
                    | (allocFlags & ALLOC_KSWAPD);
        }
        page = pa.getPageFromFreelist(gfpMask, order, allocFlags, highestZoneidx, migratetype);
        if (page != Page.NULL) {
            return page;
        }
        // direct reclaim, compaction and the OOM killer would come here
        warnAlloc(gfpMask, order);
        return Page.NULL;
    }

    /** gfp_to_alloc_flags(): [6.1.119] NON_BLOCK/MIN_RESERVE/HIGHATOMIC; [4.4, 5.10] HARDER/HIGH. */
    int gfpToAllocFlags(long gfp, int order) {
        int flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
        flags |= (int) (gfp & (Gfp.__GFP_HIGH | Gfp.__GFP_KSWAPD_RECLAIM));
        if (pa.profile.hasAllocReserveRework()) {
            if ((gfp & Gfp.__GFP_DIRECT_RECLAIM) == 0) {
                if ((gfp & Gfp.__GFP_NOMEMALLOC) == 0) {
                    flags |= ALLOC_NON_BLOCK;
                    if (order > 0 && (flags & ALLOC_MIN_RESERVE) != 0) {
                        flags |= ALLOC_HIGHATOMIC;
                    }
                }
                if ((flags & ALLOC_MIN_RESERVE) != 0) {
                    flags &= ~ALLOC_CPUSET;
                }
            }
        } else if ((gfp & Gfp.__GFP_ATOMIC) != 0) {
            if ((gfp & Gfp.__GFP_NOMEMALLOC) == 0) {
                flags |= ALLOC_HARDER;
            }
            flags &= ~ALLOC_CPUSET;
        }
        if (Gfp.gfpMigratetype(gfp) == MIGRATE_MOVABLE) {
            flags |= ALLOC_CMA;
        }
        return flags;
    }

    /**
     * warn_alloc(), ratelimited to one message per 10 s like nopage_rs; silent with __GFP_NOWARN. 4.4 prints the
     * older warn_alloc_failed() line.
     */
    @KernelFunction(symbol = "warn_alloc", file = "mm/page_alloc.c")
    void warnAlloc(@KernelFlags(Gfp.class) long gfpMask, int order) {
        if ((gfpMask & Gfp.__GFP_NOWARN) != 0) {
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (lastWarnAllocNanos != Long.MIN_VALUE && now - lastWarnAllocNanos < 10_000_000_000L) {
                return;
            }
            lastWarnAllocNanos = now;
        }
        // [6.1] no warning for __GFP_DMA requests on a machine without managed DMA pages (has_managed_dma())
        if (pa.profile.atLeast(KernelProfile.V6_1) && (gfpMask & Gfp.__GFP_DMA) != 0
                && pa.zone(Zone.ZONE_DMA).managedPages() == 0) {
            return;
        }
        if (!pa.profile.atLeast(KernelProfile.V5_10)) {
            pa.printk.log(String.format("%s: page allocation failure: order:%d, mode:0x%x", Current.comm(), order,
                    gfpMask));
            return;
        }
        pa.printk.log(String.format("%s: page allocation failure: order:%d, mode:%#x(%s), nodemask=(null),"
                + "cpuset=/,mems_allowed=0", Current.comm(), order, gfpMask, Gfp.format(gfpMask)));
    }
}
