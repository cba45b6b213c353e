package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.dma.DmaDirect;
import dev.dmatrace.kernel.dma.DmaMapping;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.drivers.models.DmaApi;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.sched.Current;
import dev.dmatrace.kernel.sim.CostModel.Work;
import dev.dmatrace.kernel.sim.Scenario.Expect;

/**
 * The DMA API as one simulated CPU's task calls it: each call passes the baton first (in a parallel step), then
 * goes to the kernel's {@link DmaMapping}, and becomes a {@link Row} with its cost on this CPU's clock. Plain
 * alloc/free steps and driver models both come through here.
 */
final class CpuContext implements DmaApi {

    private final Run run;
    private final int cpu;
    private final String task;
    private final Baton baton;
    private final int batonId;
    /** The driver model whose calls come through now (null: a plain alloc/free step). */
    String driver;

    CpuContext(Run run, Baton baton, int batonId) {
        this.run = run;
        this.cpu = Current.smpProcessorId();
        this.task = Current.comm() + "/" + Current.pid();
        this.baton = baton;
        this.batonId = batonId;
    }

    int cpu() {
        return cpu;
    }

    /** dma_alloc_attrs() on behalf of {@code who} (a label or a driver), checked against {@code expect}. */
    Run.Buffer alloc(Device dev, long size, long gfp, long attrs, String who, Expect expect) {
        callBoundary();
        Kernel k = run.kernel();
        long[] handle = new long[1];
        Work before = Work.of(k);
        long cpuAddr;
        String oops = null;
        try {
            cpuAddr = k.dma().dmaAllocAttrs(dev, size, handle, gfp, attrs);
        } catch (IllegalArgumentException e) {
            // where the real kernel would oops (a NULL device on 5.10+), the port refuses
            cpuAddr = 0;
            oops = "Oops: " + e.getMessage();
        }
        Work w = Work.of(k).minus(before);
        boolean ok = cpuAddr != 0;
        String from = ok ? Origin.of(k, dev, cpuAddr, handle[0], size) : "-";
        String result = oops != null ? oops : ok ? "ok" : "NULL";
        boolean unexpected = oops != null || expect == Expect.OK && !ok || expect == Expect.FAIL && ok;
        record(dev, "alloc", who, size, Gfp.format(gfp), from, ok ? hex(handle[0]) : "-", w,
                ok ? (size + 4095) >>> 12 : 0, result + expectation(expect, unexpected), unexpected);
        Run.Buffer b = new Run.Buffer(dev, size, cpuAddr, handle[0], from, who);
        if (ok) {
            run.live(b);
        }
        return b;
    }

    /** dma_free_coherent() of {@code b} with {@code size} (its own, or a wrong one the scenario asks for). */
    void free(Run.Buffer b, long size) {
        callBoundary();
        Kernel k = run.kernel();
        run.dead(b);
        Work before = Work.of(k);
        k.dma().dmaFreeCoherent(b.dev(), size, b.cpuAddr(), b.dmaHandle());
        Work w = Work.of(k).minus(before);
        String result = "freed";
        if (Origin.pageBacked(b.from()) && k.machine().memMap().pageCount(b.dmaHandle() >>> 12) > 0) {
            result = "freed, pages not given back (leak)";
        }
        if (size != b.size()) {
            result += ", size " + Sizes.of(size) + " != allocated " + Sizes.of(b.size());
        }
        record(b.dev(), "free", b.who(), size, "-", b.from(), hex(b.dmaHandle()), w, 0, result, false);
    }

    /** A driver model's probe/io/remove: a row after the DMA calls it made, spanning their time. */
    void driverCall(Device dev, String op, String driver, long startNs, int rc, Expect expect) {
        boolean unexpected = expect == Expect.OK && rc != 0 || expect == Expect.FAIL && rc == 0;
        long now = run.clock(cpu);
        run.add(new Row(0, cpu, task, name(dev), op, driver, -1, "-", "-", "-", 0, 0, startNs, now - startNs,
                errno(rc) + expectation(expect, unexpected), unexpected));
    }

    @Override
    public long dmaAllocCoherent(Device dev, long size, long[] dmaHandle, long gfp) {
        Run.Buffer b = alloc(dev, size, gfp, 0, driver, Expect.ANY);
        dmaHandle[0] = b.dmaHandle();
        return b.cpuAddr();
    }

    @Override
    public void dmaFreeCoherent(Device dev, long size, long cpuAddr, long dmaHandle) {
        Run.Buffer b = run.liveAt(cpuAddr);
        String from = b != null ? b.from() : Origin.of(run.kernel(), dev, cpuAddr, dmaHandle, size);
        free(new Run.Buffer(dev, b != null ? b.size() : size, cpuAddr, dmaHandle, from, driver), size);
    }

    @Override
    public long dmaMapSingle(Device dev, long cpuAddr, long size, int dir) {
        callBoundary();
        Work before = Work.of(run.kernel());
        long addr;
        String oops = null;
        try {
            addr = run.kernel().dma().dmaMapSingle(dev, cpuAddr, size, dir);
        } catch (NullPointerException e) {
            // 5.10+ dma_map_page_attrs() dereferences dev->dma_mask: a NULL device oopses there
            addr = DmaDirect.DMA_MAPPING_ERROR;
            oops = "Oops: NULL pointer dereference in dma_map_page_attrs";
        }
        boolean err = addr == DmaDirect.DMA_MAPPING_ERROR;
        record(dev, "map", driver, size, "-", "streaming", err ? "-" : hex(addr),
                Work.of(run.kernel()).minus(before), 0, oops != null ? oops : err ? "DMA_MAPPING_ERROR" : "ok",
                oops != null);
        return addr;
    }

    @Override
    public void dmaUnmapSingle(Device dev, long dmaAddr, long size, int dir) {
        callBoundary();
        Work before = Work.of(run.kernel());
        run.kernel().dma().dmaUnmapSingle(dev, dmaAddr, size, dir);
        record(dev, "unmap", driver, size, "-", "streaming", hex(dmaAddr),
                Work.of(run.kernel()).minus(before), 0, "ok", false);
    }

    @Override
    public int dmaMappingError(Device dev, long dmaAddr) {
        return run.kernel().dma().dmaMappingError(dev, dmaAddr);
    }

    private void record(Device dev, String op, String who, long size, String gfp, String from, String dma, Work w,
            long zeroedPages, String result, boolean unexpected) {
        long took = CostModel.nanos(w, zeroedPages);
        long start = run.clock(cpu);
        run.advance(cpu, took);
        run.add(new Row(0, cpu, task, name(dev), op, who, size, gfp, from, dma, w.migrated(), w.busyRetries(), start,
                took, result, unexpected));
    }

    private void callBoundary() {
        if (baton == null) {
            return;
        }
        try {
            baton.pass(batonId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the baton", e);
        }
    }

    private static String expectation(Expect expect, boolean unexpected) {
        if (expect == Expect.ANY) {
            return "";
        }
        return unexpected ? " UNEXPECTED (expected " + (expect == Expect.OK ? "success" : "failure") + ")"
                : " (expected)";
    }

    /** 0, or the errno's name as the kernel writes it ({@code -ENOMEM}). */
    private static String errno(int rc) {
        if (rc >= 0) {
            return Integer.toString(rc);
        }
        for (java.lang.reflect.Field f : Errno.class.getFields()) {
            try {
                if (f.getType() == int.class && f.getInt(null) == -rc) {
                    return "-" + f.getName();
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return Integer.toString(rc);
    }

    private static String name(Device dev) {
        return dev == null ? "(NULL)" : dev.devName();
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
