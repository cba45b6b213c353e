package dev.dmatrace.kernel.arch.arm;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code arm_dma_bufs} [5.10, 6.1]: each live buffer's CPU address (or page cookie) and the allocator that made
 * it, under {@code arm_dma_bufs_lock}, so the free path uses the same allocator.
 */
final class ArmDmaBufs {

    private final Map<Long, ArmDmaBackends.Kind> bufs = new HashMap<>();

    synchronized void add(long virt, ArmDmaBackends.Kind kind) {
        bufs.put(virt, kind);
    }

    /** arm_dma_buffer_find() and list_del(): the allocator, or null for an unknown address. */
    synchronized ArmDmaBackends.Kind remove(long virt) {
        return bufs.remove(virt);
    }
}
