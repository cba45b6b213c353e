package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.MigrateType.*;

import dev.dmatrace.kernel.boot.KernelProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * CONFIG_DEBUG_VM-style consistency checks over a whole machine, for tests: every pfn is in exactly one state
 * (a free block on exactly one free list, at the right order and alignment, PageBuddy on its head only; on a pcp
 * list; reserved; or allocated), nr_free matches the lists, NR_FREE_PAGES / NR_FREE_CMA_PAGES match the free
 * lists (ISOLATE lists and pcp pages are not counted), and no two free buddies are left unmerged where the
 * version's __free_one_page() would have merged them. Run it while nothing else touches the machine.
 */
public final class DebugVm {

    private static final int MAX_REPORTED = 20;

    private DebugVm() {
    }

    /** All violations found (empty when consistent), at most a few dozen. */
    public static List<String> check(PageAlloc pa) {
        List<String> v = new ArrayList<>();
        MemMap mm = pa.mm;
        byte[] state = new byte[mm.nrPages()];
        final byte free = 1;
        final byte pcp = 2;
        for (Zone z : pa.zones) {
            long listPagesCounted = 0;
            long cmaPages = 0;
            for (int order = 0; order < PageAlloc.MAX_ORDER; order++) {
                long blocks = 0;
                for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
                    for (long p = z.freeArea.first(order, mt); p != Page.NULL; p = z.freeArea.next(p)) {
                        blocks++;
                        if ((p & ((1L << order) - 1)) != 0) {
                            add(v, "free block pfn 0x%x order %d not aligned", p, order);
                        }
                        if (!mm.pageBuddy(p) || mm.buddyOrder(p) != order) {
                            add(v, "free block pfn 0x%x on order-%d list: PageBuddy=%b order=%d", p, order,
                                    mm.pageBuddy(p), mm.buddyOrder(p));
                        }
                        for (long q = p; q < p + (1L << order); q++) {
                            if (!mm.spans(q) || mm.zoneIdx(q) != z.idx) {
                                add(v, "free block pfn 0x%x order %d leaves zone %s at 0x%x", p, order, z.name(), q);
                                break;
                            }
                            int i = mm.idx(q);
                            if (state[i] != 0) {
                                add(v, "pfn 0x%x is in two free blocks / lists", q);
                            }
                            state[i] = free;
                            if (q != p && mm.pageBuddy(q)) {
                                add(v, "tail pfn 0x%x of free block 0x%x has PageBuddy", q, p);
                            }
                            if (mm.pageReserved(q)) {
                                add(v, "free pfn 0x%x is PG_reserved", q);
                            }
                        }
                        if (!isMigrateIsolate(mt)) {
                            listPagesCounted += 1L << order;
                        }
                        if (isMigrateCma(mt)) {
                            cmaPages += 1L << order;
                        }
                    }
                }
                if (blocks != z.freeArea.nrFree(order)) {
                    add(v, "zone %s order %d: nr_free %d but %d blocks on the lists", z.name(), order,
                            z.freeArea.nrFree(order), blocks);
                }
            }
            if (listPagesCounted != z.nrFreePages) {
                add(v, "zone %s: NR_FREE_PAGES %d but %d pages on non-isolate free lists", z.name(), z.nrFreePages,
                        listPagesCounted);
            }
            if (cmaPages != z.nrFreeCmaPages) {
                add(v, "zone %s: NR_FREE_CMA_PAGES %d but %d pages on CMA free lists", z.name(), z.nrFreeCmaPages,
                        cmaPages);
            }
            checkPcp(pa, z, state, pcp, v);
        }
        for (long pfn = mm.startPfn(); pfn < mm.endPfn(); pfn++) {
            int i = mm.idx(pfn);
            if (state[i] == 0 && mm.pageBuddy(pfn)) {
                add(v, "pfn 0x%x has PageBuddy but is on no free list", pfn);
            }
            if (state[i] == free && mm.pageBuddy(pfn)) {
                checkMerged(pa, pfn, v);
            }
        }
        return v;
    }

    private static void checkPcp(PageAlloc pa, Zone z, byte[] state, byte pcp, List<String> v) {
        MemMap mm = pa.mm;
        for (int cpu = 0; cpu < z.cpus(); cpu++) {
            PerCpuPages p = z.perCpuPageset[cpu];
            long pages = 0;
            for (int l = 0; l < p.nrLists; l++) {
                int order = PerCpuPages.pindexToOrder(l);
                for (long q = p.lists.first(l); q != Page.NULL; q = p.lists.next(q)) {
                    pages += 1L << order;
                    if (isMigrateIsolate(mm.pcppageMigratetype(q))) {
                        add(v, "pcp page 0x%x of cpu %d has pcp migratetype ISOLATE", q, cpu);
                    }
                    if (mm.zoneIdx(q) != z.idx || mm.pageBuddy(q)) {
                        add(v, "pcp page 0x%x of cpu %d in zone %s: zone %d PageBuddy=%b", q, cpu, z.name(),
                                mm.zoneIdx(q), mm.pageBuddy(q));
                    }
                    for (long r = q; r < q + (1L << order); r++) {
                        int i = mm.idx(r);
                        if (state[i] != 0) {
                            add(v, "pfn 0x%x is both on a pcp list and elsewhere", r);
                        }
                        state[i] = pcp;
                    }
                }
            }
            if (pages != p.count) {
                add(v, "zone %s cpu %d: pcp->count %d but %d pages on its lists", z.name(), cpu, p.count, pages);
            }
        }
    }

    /** A free block whose buddy is a free block of the same order must be one the version refuses to merge. */
    private static void checkMerged(PageAlloc pa, long pfn, List<String> v) {
        MemMap mm = pa.mm;
        int order = mm.buddyOrder(pfn);
        if (order >= PageAlloc.MAX_ORDER - 1) {
            return;
        }
        long buddy = pfn ^ (1L << order);
        if (buddy < pfn || !mm.pfnValid(buddy) || !mm.pageBuddy(buddy) || mm.buddyOrder(buddy) != order
                || mm.zoneIdx(buddy) != mm.zoneIdx(pfn)) {
            return;
        }
        if (order >= pa.pageblockOrder) {
            int a = mm.getPageblockMigratetype(pfn);
            int b = mm.getPageblockMigratetype(buddy);
            KernelProfile p = pa.profile;
            boolean refused;
            if (p.atLeast(KernelProfile.V6_1)) {
                refused = a != b && (!isMergeable(a) || !isMergeable(b));
            } else {
                refused = isMigrateIsolate(a) || isMigrateIsolate(b);
            }
            if (refused) {
                return;
            }
        }
        add(v, "free buddies 0x%x and 0x%x of order %d left unmerged", pfn, buddy, order);
    }

    private static void add(List<String> v, String fmt, Object... args) {
        if (v.size() < MAX_REPORTED) {
            v.add(String.format(fmt, args));
        }
    }
}
