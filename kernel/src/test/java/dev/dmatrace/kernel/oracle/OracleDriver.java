package dev.dmatrace.kernel.oracle;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.mm.Cma;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageUsers;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays an oracle case on the simulated machine. NOT the DMA layer: a stand-in that maps the module's ops to
 * what 6.1/6.12 dma-direct does on the oracle's arm64 board (coherent device, GFP_KERNEL, 32-bit mask, so
 * GFP_DMA): more than one page goes to cma_alloc(default area, count, min(get_order, CMA_ALIGNMENT)), falling
 * back to alloc_pages(get_order(size)); one page goes straight to alloc_pages. Frees go to cma_release or
 * __free_pages; what is still held at the end is freed in slot order (rmmod).
 */
final class OracleDriver {

    private record Slot(long page, long count, int order, boolean cma) {
    }

    final Machine m;
    final CmaArea area;
    private final List<Slot> slots = new ArrayList<>();
    /** Per alloc op, in slot order: "ok=1 pfn=0x..." (CMA), "ok=1 buddy" or "ok=0", as the module logs it. */
    final List<String> results = new ArrayList<>();
    private static final long GFP = Gfp.GFP_KERNEL | Gfp.GFP_DMA;

    OracleDriver(OracleCase c) {
        KernelProfile p = c.kernel().startsWith("6.12") ? KernelProfile.V6_12 : KernelProfile.V6_1;
        m = Machine.create(Boards.ORACLE_ARM64_512M.withProfile(p));
        area = m.declareCmaArea("reserved", c.cmaBase(), c.cmaSizeMib() << 20, 0);
        m.boot();
        // dma_atomic_pool_init(): three 128 KiB pools through dma_alloc_from_contiguous()
        for (int i = 0; i < 3; i++) {
            if (m.cma().cmaAlloc(area, 32, Math.min(5, Cma.CMA_ALIGNMENT), true) == Page.NULL) {
                throw new IllegalStateException("atomic pool");
            }
        }
        PageUsers users = m.pageUsers();
        for (long pfn : c.pinnedPfns()) {
            if (!users.holdAt(pfn)) {
                throw new IllegalStateException("cannot hold pfn 0x" + Long.toHexString(pfn));
            }
        }
        if (c.fill()) {
            long targetPages = c.memFreeKb().get(1) / 4;
            while (m.pageAlloc().globalNrFreePages() > targetPages) {
                if (users.alloc(Page.OWNER_SHMEM) == Page.NULL) {
                    break;
                }
            }
        }
    }

    static int getOrder(long size) {
        int order = 0;
        while ((4096L << order) < size) {
            order++;
        }
        return order;
    }

    void run(List<String> ops) {
        m.tracing().enable("cma", true);
        m.tracing().enable("migrate", true);
        m.tracing().enable("page_isolation", true);
        m.tracing().enable("kmem/mm_page_alloc_extfrag", true);
        for (String op : ops) {
            if (op.startsWith("a")) {
                alloc(parseSize(op.substring(1)));
            } else {
                free(Integer.parseInt(op.substring(1)));
            }
        }
        for (int i = 0; i < slots.size(); i++) {
            free(i);
        }
    }

    private static long parseSize(String s) {
        long mult = switch (s.charAt(s.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            default -> 1;
        };
        return Long.parseLong(mult == 1 ? s : s.substring(0, s.length() - 1)) * mult;
    }

    private void alloc(long size) {
        long count = (size + 4095) >> 12;
        int order = getOrder(size);
        long page = Page.NULL;
        if (count > 1) {
            page = m.cma().cmaAlloc(area, count, Math.min(order, Cma.CMA_ALIGNMENT), false);
        }
        if (page != Page.NULL) {
            slots.add(new Slot(page, count, order, true));
            results.add("ok=1 pfn=0x" + Long.toHexString(page));
            return;
        }
        page = m.pageAlloc().allocPages(GFP, order);
        slots.add(new Slot(page, count, order, false));
        results.add(page == Page.NULL ? "ok=0" : "ok=1 buddy");
    }

    private void free(int idx) {
        Slot s = slots.get(idx);
        if (s == null || s.page == Page.NULL) {
            return;
        }
        if (s.cma) {
            m.cma().cmaRelease(area, s.page, s.count);
        } else {
            m.pageAlloc().free().freePages(s.page, s.order);
        }
        slots.set(idx, null);
    }
}
