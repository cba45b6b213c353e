package dev.dmatrace.kernel.oracle;

import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.boot.Memparse;
import dev.dmatrace.kernel.dma.DmaDirect;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.mm.MigrateType;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageUsers;
import dev.dmatrace.kernel.of.DtsException;
import java.util.ArrayList;
import java.util.List;

/**
 * One oracle case on the simulated kernel, the way the recording ran it: the arm64 board with the case's RAM,
 * {@code cma=SIZE@BASE} so the default area sits where the real kernel put it, the boot (atomic pools from CMA
 * included), then what /init and the module did: for a filled case the rest of the kernel's memory (unmovable
 * pages down to the first recorded MemFree), held pages, the fill with movable shmem pages down to the second
 * recorded MemFree, {@code dma_set_coherent_mask()}, the op script through dma_alloc_coherent() /
 * dma_free_coherent(), and at rmmod the frees of every buffer still held, in slot order. The held pages are not
 * freed at the end (the module's unpin_all() comes after every traced event).
 */
public final class OracleRun {

    private static final int MAX_SLOTS = 256;

    private record Slot(long virt, long dma, long size) {
    }

    private final OracleCase c;
    private final Kernel kernel;
    private final Device dev;
    private final List<Slot> slots = new ArrayList<>();
    private final List<String> mod = new ArrayList<>();
    private final int maskRet;

    public OracleRun(OracleCase c) throws DtsException {
        this.c = c;
        KernelProfile p = c.is612() ? KernelProfile.V6_12 : KernelProfile.V6_1;
        Board b = Boards.ORACLE_ARM64_512M.withProfile(p)
                .withBanks(List.of(new Board.Bank(c.ramBase(), c.ramSizeMib() << 20)));
        kernel = Kernel.boot(b, null, "cma=" + c.cmaSizeMib() + "M@0x" + Long.toHexString(c.cmaBase()));
        Machine m = kernel.machine();
        PageUsers users = m.pageUsers();
        if (c.fill() && !c.memFreeKb().isEmpty()) {
            // the rest of the kernel's memory (slab, page tables, modules, /init): unmovable, held for good
            while (m.pageAlloc().globalNrFreePages() * 4 > c.memFreeKb().get(0)
                    && m.pageAlloc().allocPages(Gfp.GFP_KERNEL, 0) != Page.NULL) {
                // one page per round
            }
        }
        for (long pfn : heldHow("alloc")) {
            if (!users.holdAt(pfn)) {
                throw new IllegalStateException("cannot hold pfn 0x" + Long.toHexString(pfn));
            }
        }
        if (c.fill() && c.memFreeKb().size() > 1) {
            long targetPages = c.memFreeKb().get(1) / 4;
            while (m.pageAlloc().globalNrFreePages() > targetPages && users.alloc(Page.OWNER_SHMEM) != Page.NULL) {
                // one movable shmem page per round, as tmpfs fills
            }
        }
        dev = kernel.createDevice("dma-oracle");
        maskRet = kernel.dma().dmaSetCoherentMask(dev, DmaDirect.dmaBitMask(c.mask()));
    }

    /**
     * The held pages taken the given way: {@code alloc} (order-0 movable pages off the LRU, taken before the
     * fill here so that their pfns are still free) or {@code at} (one-page alloc_contig_range() by the module).
     */
    private List<Long> heldHow(String how) {
        boolean at = c.pinnedHow().contains("at") || c.pinnedHow().contains("contig");
        return at == how.equals("at") ? c.pinnedPfns() : List.of();
    }

    public Kernel kernel() {
        return kernel;
    }

    /** Runs the ops and the rmmod frees with the traced events on; none when the mask was refused (insmod fails). */
    public OracleRun run() {
        Machine m = kernel.machine();
        if (maskRet != 0) {
            return this;
        }
        for (String ev : List.of("cma", "migrate", "page_isolation", "kmem/mm_page_alloc_extfrag", "dma")) {
            m.tracing().enable(ev, true);
        }
        for (long pfn : heldHow("at")) {
            m.contig().allocContigRange(pfn, pfn + 1, MigrateType.MIGRATE_CMA, Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN);
        }
        for (String op : c.ops()) {
            if (op.startsWith("a")) {
                alloc(Memparse.memparse(op.substring(1), 0).value());
            } else if (op.startsWith("f")) {
                free(Integer.parseInt(op.substring(1)));
            }
        }
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).virt() != 0) {
                free(i);
            }
        }
        return this;
    }

    private void alloc(long size) {
        if (slots.size() >= MAX_SLOTS) {
            mod.add("dma_oracle: alloc idx=-1 size=" + size + " ok=0 reason=no_slot");
            return;
        }
        long[] handle = new long[1];
        long virt = kernel.dma().dmaAllocCoherent(dev, size, handle, Gfp.GFP_KERNEL);
        int idx = slots.size();
        slots.add(new Slot(virt, handle[0], size));
        mod.add(virt != 0 ? String.format("dma_oracle: alloc idx=%d size=%d ok=1 dma=0x%016x pfn=0x%x", idx, size,
                handle[0], handle[0] >>> 12) : String.format("dma_oracle: alloc idx=%d size=%d ok=0", idx, size));
    }

    private void free(int idx) {
        if (idx < 0 || idx >= slots.size() || slots.get(idx).virt() == 0) {
            mod.add("dma_oracle: free idx=" + idx + " ok=0 reason=bad_index");
            return;
        }
        Slot s = slots.get(idx);
        kernel.dma().dmaFreeCoherent(dev, s.size(), s.virt(), s.dma());
        mod.add(String.format("dma_oracle: free idx=%d size=%d dma=0x%016x", idx, s.size(), s.dma()));
        slots.set(idx, new Slot(0, s.dma(), s.size()));
    }

    /** The summary lines summarize.sh would print for this run: EV, then MOD, then KMSG. */
    public List<String> summary() {
        List<String> out = new ArrayList<>();
        TraceSummary.ev(kernel.machine().tracing().lines()).forEach(l -> out.add("EV " + l));
        mod.forEach(l -> out.add("MOD " + l));
        for (String l : kernel.machine().printk().lines()) {
            if (l.startsWith("cma: ") && !l.startsWith("cma: Reserved ") || l.startsWith("WARNING: ")
                    || l.contains("page allocation failure")) {
                out.add("KMSG " + l);
            }
        }
        return out;
    }
}
