package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.KernelFunction;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code coherent_pool=size}: the atomic pool size (arch/arm/mm/dma-mapping.c in 4.4, kernel/dma/pool.c from
 * 5.x). Neither version checks for a missing value.
 */
public final class EarlyCoherentPool {

    private Long atomicPoolSize;

    /** The size given on the command line; empty means the arch default applies. */
    public OptionalLong size() {
        return atomicPoolSize == null ? OptionalLong.empty() : OptionalLong.of(atomicPoolSize);
    }

    @KernelFunction(symbol = "early_coherent_pool", file = "kernel/dma/pool.c")
    int earlyCoherentPool(String p, List<String> diagnostics) {
        if (p == null) {
            diagnostics.add("coherent_pool: no value; early_coherent_pool would dereference NULL and oops");
            return 0;
        }
        Memparse.Result r = Memparse.memparse(p, 0);
        atomicPoolSize = r.value();
        EarlyCma.note("coherent_pool", p, 0, r.end(), true, diagnostics);
        return 0;
    }
}
