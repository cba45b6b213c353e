package dev.dmatrace.analyzer.findings;

import dev.dmatrace.analyzer.findings.Symbols.Role;
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
    public void inspect(TreeFacts facts, Occurrences out) {
        if (!facts.any(Role.DEVICE_POOL)) {
            return;
        }
        for (Node n : facts.nodes()) {
            if (!Symbols.is(n, Role.DEVICE_POOL) || n.hop().kind() != Hop.Kind.FN) {
                continue;
            }
            Hop h = n.hop();
            boolean buffer = Symbols.is(h, Role.DEVICE_POOL_BUFFER);
            boolean exhausted = buffer && Returns.isNull(h);
            // a pool function that only says "handled" (returns 1) while the allocation failed
            boolean handledButFailed = !buffer && h.retNum(0) == 1 && failed(facts.allocationOf(n))
                    && n.find(c -> Symbols.is(c, Role.DEVICE_POOL_BUFFER)).isEmpty();
            if (exhausted || handledButFailed) {
                out.add(() -> report(facts, n));
            }
        }
    }

    private static boolean failed(Allocation a) {
        return a != null && a.failed();
    }

    private Finding report(TreeFacts facts, Node n) {
        Allocation a = facts.allocationOf(n);
        return finding(String.format("device pool of %s full: %s", a == null ? "?" : a.device(),
                a == null ? n.hop().symbol() : "request of " + a.size() + " bytes refused"),
                Evidence.builder().allocation(a).hop(n.id()).build(), facts);
    }
}
