package dev.dmatrace.analyzer.findings;

import java.util.function.Consumer;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * The device has a coherent pool ({@code shared-dma-pool} with no-map) and it had no free region: on 5.10+ that is
 * final, the allocation fails without trying anything else (kernel-reference §3.3, §12.1).
 */
public final class DevicePoolExhausted implements Detector {
    @Override
    public String id() {
        return "DEVICE_POOL_EXHAUSTED";
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public String explanation() {
        return "the device's coherent memory pool has no free power-of-two region for the request; on 5.10+ "
                + "dma_alloc_from_dev_coherent() claims the request anyway, so nothing else is tried";
    }

    @Override
    public void inspect(TreeFacts facts, Consumer<Finding> out) {
        for (Node n : facts.nodes()) {
            if (n.synthetic()) {
                continue;
            }
            Hop h = n.hop();
            if (h.kind() != Hop.Kind.FN) {
                continue;
            }
            Allocation a = facts.allocationOf(n);
            boolean exhausted = Symbols.DEVICE_POOL_BUFFER.contains(h.symbol()) && Returns.isNull(h);
            // a pool function that only says "handled" (returns 1) while the allocation failed
            boolean handledButFailed = Symbols.DEVICE_POOL.contains(h.symbol())
                    && !Symbols.DEVICE_POOL_BUFFER.contains(h.symbol()) && h.retNum(0) == 1
                    && a != null && a.failed()
                    && n.find(c -> Symbols.DEVICE_POOL_BUFFER.contains(c.symbol())).isEmpty();
            if (exhausted || handledButFailed) {
                out.accept(finding(String.format("device pool of %s full: %s", a == null ? "?" : a.device(),
                        a == null ? h.symbol() : "request of " + a.size() + " bytes refused"),
                        Evidence.builder().allocation(a).hop(n.id()).build(), facts));
            }
        }
    }
}
