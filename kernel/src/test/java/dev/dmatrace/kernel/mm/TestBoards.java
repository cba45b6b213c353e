package dev.dmatrace.kernel.mm;

import dev.dmatrace.kernel.boot.Arch;
import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.List;

/** Small machines for unit tests, and helpers that reach the allocator's locked internals. */
final class TestBoards {

    static final long MIB = 1L << 20;
    static final long BASE = 0x40000000L;

    private TestBoards() {
    }

    /** arm64 at 0x40000000 with no boot reservation, one cpu. */
    static Board arm64(KernelProfile p, long mib) {
        return new Board("t", "test", Arch.ARM64, p, List.of(new Board.Bank(BASE, mib * MIB)), 1, 0);
    }

    static Board arm(KernelProfile p, long mib) {
        return new Board("t", "test", Arch.ARM, p, List.of(new Board.Bank(BASE, mib * MIB)), 1, 0);
    }

    static Machine boot(Board b) {
        return Machine.boot(b);
    }

    static long pfn(long phys) {
        return phys >>> 12;
    }

    /** Allocates ignoring watermarks (__GFP_MEMALLOC reaches ALLOC_NO_WATERMARKS in the slow path). */
    static long take(PageAlloc pa, long gfp, int order) {
        return pa.allocPages(gfp | Gfp.__GFP_MEMALLOC | Gfp.__GFP_NOWARN, order);
    }

    /** Calls __rmqueue_fallback() [5.10, 6.1] under zone->lock. */
    static boolean fallback(PageAlloc pa, Zone z, int order, int mt) {
        z.lock.lock();
        try {
            return pa.fallback.rmqueueFallback(z, order, mt, 0);
        } finally {
            z.lock.unlock();
        }
    }

    static int countOnList(Zone z, int order, int mt) {
        return z.freeArea.countList(order, mt, Integer.MAX_VALUE);
    }
}
