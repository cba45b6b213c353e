package dev.dmatrace.kernel.of;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Memblock;

/** The RAM half of drivers/of/fdt.c: {@code device_type = "memory"} nodes become memblock memory. */
public final class FdtMemory {

    private static final long PAGE_SIZE = OfProfile.PAGE_SIZE;

    private final Memblock memblock;
    private final BootLog log;

    public FdtMemory(Memblock memblock, BootLog log) {
        this.memblock = memblock;
        this.log = log;
    }

    /** Adds every available memory node's {@code linux,usable-memory} (else {@code reg}) ranges. */
    @KernelFunction(symbol = "early_init_dt_scan_memory", file = "drivers/of/fdt.c")
    public void earlyInitDtScanMemory(DeviceTree dt) throws DtsException {
        int ac = (int) dt.root().property("#address-cells").map(Property::u32).orElse(1L).longValue();
        int sc = (int) dt.root().property("#size-cells").map(Property::u32).orElse(1L).longValue();
        scan(dt.root(), ac, sc);
    }

    private void scan(DeviceNode node, int ac, int sc) throws DtsException {
        for (DeviceNode n : node.children()) {
            String type = n.property("device_type").map(Property::string).orElse(null);
            if ("memory".equals(type) && n.isAvailable()) {
                Property reg = n.property("linux,usable-memory").orElse(n.property("reg").orElse(null));
                if (reg != null) {
                    for (Reg r : n.pairs(reg, ac, sc)) {
                        if (r.size() != 0) {
                            addMemory(r.base(), r.size());
                        }
                    }
                }
            }
            scan(n, ac, sc);
        }
    }

    /** Trims a bank to whole pages before adding it; a bank smaller than its first partial page is ignored. */
    @KernelFunction(symbol = "early_init_dt_add_memory_arch", file = "drivers/of/fdt.c")
    private void addMemory(long base, long size) {
        long offset = base & (PAGE_SIZE - 1);
        if (size < PAGE_SIZE - offset) {
            log.warn(String.format("Ignoring memory block 0x%x - 0x%x", base, base + size));
            return;
        }
        if (offset != 0) {
            size -= PAGE_SIZE - offset;
            base = base - offset + PAGE_SIZE;
        }
        size &= ~(PAGE_SIZE - 1);
        memblock.add(base, size);
    }
}
