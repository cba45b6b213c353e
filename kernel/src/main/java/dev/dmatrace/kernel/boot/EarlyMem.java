package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.Errno;
import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Memblock;
import dev.dmatrace.kernel.of.BootLog;
import dev.dmatrace.kernel.of.OfProfile;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mem=}, whose meaning is the arch's: 32-bit ARM ({@code mem=size[@start]}, repeatable) replaces the RAM
 * banks with the ones given; arm64 keeps the first {@code size} bytes of RAM; x86-64 drops RAM above the address
 * {@code size}. Parsing records the effect; {@link #apply} performs it on memblock at the point the arch does,
 * after the memory nodes are scanned and before reserved memory is.
 */
public final class EarlyMem {

    private static final long PAGE_SIZE = Memblock.PAGE_SIZE;

    private record Bank(long start, boolean atStart, long size) {
    }

    private final List<Bank> armBanks = new ArrayList<>();
    private long limit = -1;

    public boolean given() {
        return limit != -1 || !armBanks.isEmpty();
    }

    /** arm64's {@code memory_limit} or x86's {@code mem_size}; -1 when not given. */
    public long limit() {
        return limit;
    }

    /** The handler of the profile's arch; returns what its {@code early_param} function returns. */
    int earlyMem(String p, OfProfile profile, BootLog log, List<String> diagnostics) {
        if (p == null) {
            if (profile.arch() == Arch.ARM) {
                diagnostics.add("mem: no value; ARM's early_mem would dereference NULL and oops");
                return 0;
            }
            return profile.arch() == Arch.ARM64 ? 1 : -Errno.EINVAL;
        }
        return switch (profile.arch()) {
            case ARM -> armEarlyMem(p, diagnostics);
            case ARM64 -> arm64EarlyMem(p, log, diagnostics);
            case X86_64 -> parseMemopt(p, log, diagnostics);
        };
    }

    @KernelFunction(symbol = "early_mem", file = "arch/arm/kernel/setup.c")
    private int armEarlyMem(String p, List<String> diagnostics) {
        Memparse.Result r = Memparse.memparse(p, 0);
        boolean at = r.end() < p.length() && p.charAt(r.end()) == '@';
        EarlyCma.note("mem", p, 0, r.end(), !at, diagnostics);
        if (at) {
            Memparse.Result start = Memparse.memparse(p, r.end() + 1);
            EarlyCma.note("mem", p, r.end() + 1, start.end(), true, diagnostics);
            armBanks.add(new Bank(start.value(), true, r.value()));
        } else {
            armBanks.add(new Bank(0, false, r.value()));
        }
        return 0;
    }

    @KernelFunction(symbol = "early_mem", file = "arch/arm64/mm/init.c")
    private int arm64EarlyMem(String p, BootLog log, List<String> diagnostics) {
        Memparse.Result r = Memparse.memparse(p, 0);
        EarlyCma.note("mem", p, 0, r.end(), true, diagnostics);
        limit = r.value() & ~(PAGE_SIZE - 1);
        log.notice("Memory limited to " + (limit >> 20) + "MB");
        return 0;
    }

    @KernelFunction(symbol = "parse_memopt", file = "arch/x86/kernel/e820.c")
    private int parseMemopt(String p, BootLog log, List<String> diagnostics) {
        if (p.equals("nopentium")) {
            log.warn("mem=nopentium ignored! (only supported on x86_32)");
            return -Errno.EINVAL;
        }
        Memparse.Result r = Memparse.memparse(p, 0);
        EarlyCma.note("mem", p, 0, r.end(), true, diagnostics);
        if (r.value() == 0) {
            return -Errno.EINVAL;
        }
        limit = r.value();
        return 0;
    }

    /** Applies the recorded {@code mem=} to the RAM banks already in memblock. */
    public void apply(Memblock memblock, OfProfile profile, BootLog log) {
        switch (profile.arch()) {
            case ARM -> {
                if (armBanks.isEmpty()) {
                    return;
                }
                long physOffset = memblock.startOfDram();
                memblock.remove(memblock.startOfDram(), memblock.endOfDram() - memblock.startOfDram());
                for (Bank b : armBanks) {
                    armAddMemory(memblock, log, b.atStart() ? b.start() : physOffset, b.size(), physOffset);
                }
            }
            case ARM64 -> {
                if (limit != -1) {
                    memblock.enforceMemoryLimit(limit);
                }
            }
            case X86_64 -> {
                if (limit != -1) {
                    memblock.remove(limit, Memblock.ALLOC_ANYWHERE - limit);
                }
            }
        }
    }

    /** Page-aligns a bank and drops what lies below {@code PHYS_OFFSET}. */
    @KernelFunction(symbol = "arm_add_memory", file = "arch/arm/kernel/setup.c")
    private static int armAddMemory(Memblock memblock, BootLog log, long start, long size, long physOffset) {
        long alignedStart = (start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        size = alignedStart > start + size ? 0 : size - (alignedStart - start);
        if (alignedStart < physOffset) {
            if (alignedStart + size <= physOffset) {
                log.info(String.format("Ignoring memory below PHYS_OFFSET: 0x%08x-0x%08x", alignedStart,
                        alignedStart + size));
                return -Errno.EINVAL;
            }
            log.info(String.format("Ignoring memory below PHYS_OFFSET: 0x%08x-0x%08x", alignedStart, physOffset));
            size -= physOffset - alignedStart;
            alignedStart = physOffset;
        }
        size &= ~(PAGE_SIZE - 1);
        if (size == 0) {
            return -Errno.EINVAL;
        }
        memblock.add(alignedStart, size);
        return 0;
    }
}
