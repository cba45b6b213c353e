package dev.dmatrace.kernel.dma;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.printk.Printk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kernel/dma/debug.c (4.4: lib/dma-debug.c), CONFIG_DMA_API_DEBUG: one entry per coherent allocation and
 * streaming mapping, checked on free/unmap, and the leak report when a driver is unbound. Errors are WARNs with
 * the kernel's texts; like the kernel (show_num_errors = 1) only the first error is printed, all are counted.
 */
public final class DmaDebug {

    public static final int TYPE_SINGLE = 0;
    public static final int TYPE_COHERENT = 2;
    private static final String[] TYPE2NAME = {"single", "scather-gather", "coherent", "resource"};
    private static final String[] DIR2NAME = {"DMA_BIDIRECTIONAL", "DMA_TO_DEVICE", "DMA_FROM_DEVICE", "DMA_NONE"};

    /** {@code struct dma_debug_entry}. */
    public record Entry(Device dev, int type, long devAddr, long size, long paddr, long cpuAddr, int direction) {
    }

    private final KernelProfile profile;
    private final Printk printk;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private int errorCount;
    private int showNumErrors = 1;

    public DmaDebug(KernelProfile profile, Printk printk) {
        this.profile = profile;
        this.printk = printk;
    }

    private static String key(Device dev, long devAddr) {
        return (dev == null ? "NULL" : dev.devName()) + "@" + Long.toHexString(devAddr);
    }

    /** err_printk(): counted always, WARNed while show_num_errors lasts. 4.4 puts "DMA-API: " after the device. */
    private void errPrintk(Device dev, String text) {
        errorCount++;
        if (showNumErrors <= 0) {
            return;
        }
        showNumErrors--;
        String who = dev == null ? "NULL NULL" : dev.driverString() + " " + dev.devName();
        String msg = profile.atLeast(KernelProfile.V5_10) ? "DMA-API: " + who + ": " + text
                : who + ": DMA-API: " + text;
        printk.warn(profile.atLeast(KernelProfile.V5_10) ? "kernel/dma/debug.c" : "lib/dma-debug.c", "err_printk",
                msg);
    }

    public synchronized int errorCount() {
        return errorCount;
    }

    /** The live entries, oldest first. */
    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    @KernelFunction(symbol = "debug_dma_alloc_coherent", file = "kernel/dma/debug.c")
    public synchronized void debugDmaAllocCoherent(Device dev, long size, long dmaAddr, long virt, long paddr) {
        if (virt == 0) {
            return;
        }
        entries.put(key(dev, dmaAddr), new Entry(dev, TYPE_COHERENT, dmaAddr, size, paddr, virt, 0));
    }

    @KernelFunction(symbol = "debug_dma_free_coherent", file = "kernel/dma/debug.c")
    public synchronized void debugDmaFreeCoherent(Device dev, long size, long virt, long dmaAddr, long paddr) {
        checkUnmap(new Entry(dev, TYPE_COHERENT, dmaAddr, size, paddr, virt, 0));
    }

    @KernelFunction(symbol = "debug_dma_map_page", file = "kernel/dma/debug.c")
    public synchronized void debugDmaMapPage(Device dev, long paddr, long size, int dir, long dmaAddr) {
        if (dmaAddr == DmaDirect.DMA_MAPPING_ERROR) {
            return;
        }
        entries.put(key(dev, dmaAddr), new Entry(dev, TYPE_SINGLE, dmaAddr, size, paddr, 0, dir));
    }

    @KernelFunction(symbol = "debug_dma_unmap_page", file = "kernel/dma/debug.c")
    public synchronized void debugDmaUnmapPage(Device dev, long dmaAddr, long size, int dir) {
        checkUnmap(new Entry(dev, TYPE_SINGLE, dmaAddr, size, 0, 0, dir));
    }

    /** check_unmap(): the entry must exist and agree in size, type, CPU address and direction. */
    @KernelFunction(symbol = "check_unmap", file = "kernel/dma/debug.c")
    private void checkUnmap(Entry ref) {
        Entry entry = entries.remove(key(ref.dev(), ref.devAddr()));
        if (entry == null) {
            errPrintk(ref.dev(), String.format("device driver tries to free DMA memory it has not allocated "
                    + "[device address=0x%016x] [size=%d bytes]", ref.devAddr(), ref.size()));
            return;
        }
        if (ref.size() != entry.size()) {
            errPrintk(ref.dev(), String.format("device driver frees DMA memory with different size "
                    + "[device address=0x%016x] [map size=%d bytes] [unmap size=%d bytes]", ref.devAddr(),
                    entry.size(), ref.size()));
        }
        if (ref.type() != entry.type()) {
            errPrintk(ref.dev(), String.format("device driver frees DMA memory with wrong function "
                    + "[device address=0x%016x] [size=%d bytes] [mapped as %s] [unmapped as %s]", ref.devAddr(),
                    ref.size(), TYPE2NAME[entry.type()], TYPE2NAME[ref.type()]));
        } else if (entry.type() == TYPE_COHERENT && ref.cpuAddr() != entry.cpuAddr()) {
            errPrintk(ref.dev(), String.format("device driver frees DMA memory with different CPU address "
                    + "[device address=0x%016x] [size=%d bytes] [cpu alloc address=0x%016x] "
                    + "[cpu free address=0x%016x]", ref.devAddr(), ref.size(), entry.cpuAddr(), ref.cpuAddr()));
        }
        if (ref.direction() != entry.direction()) {
            errPrintk(ref.dev(), String.format("device driver frees DMA memory with different direction "
                    + "[device address=0x%016x] [size=%d bytes] [mapped with %s] [unmapped with %s]",
                    ref.devAddr(), ref.size(), DIR2NAME[entry.direction()], DIR2NAME[ref.direction()]));
        }
    }

    /**
     * dma_debug_device_change(BUS_NOTIFY_UNBOUND_DRIVER): a driver released with live entries is a leak; the
     * report names their count and the first one. Returns the count.
     */
    @KernelFunction(symbol = "dma_debug_device_change", file = "kernel/dma/debug.c")
    public synchronized int dmaDebugDeviceChange(Device dev) {
        List<Entry> live = entries.values().stream().filter(e -> e.dev() == dev).toList();
        if (live.isEmpty()) {
            return 0;
        }
        Entry e = live.get(0);
        errPrintk(dev, String.format("device driver has pending DMA allocations while released from device "
                + "[count=%d]\nOne of leaked entries details: [device address=0x%016x] [size=%d bytes] "
                + "[mapped with %s] [mapped as %s]", live.size(), e.devAddr(), e.size(), DIR2NAME[e.direction()],
                TYPE2NAME[e.type()]));
        return live.size();
    }
}
