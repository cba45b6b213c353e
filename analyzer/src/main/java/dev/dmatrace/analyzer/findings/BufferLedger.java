package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dmatrace.analyzer.findings.Symbols.Role;
import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * Live coherent buffers by (device, CPU address), like dma-debug's hash: an allocation adds its buffer, a free
 * removes it. Trees complete in root-commit order, which across threads may put a free before its allocation,
 * so frees that match nothing wait until the end and are matched once more against what is still live.
 * Shared by {@link DmaLeak} and {@link BadFree}.
 */
public final class BufferLedger {

    /** A live buffer: the allocation's hop and its tree, for the evidence. */
    record Buffer(String device, long cpuAddr, long dmaHandle, long size, long endNanos, long hopId,
                  TreeFacts facts, Allocation alloc) {}

    /** A free that matched no live buffer (yet). */
    record Free(Hop hop, long hopId, TreeFacts facts) {}

    /** A free whose size differs from the allocation's. */
    record Mismatch(Buffer buffer, Free free) {}

    private final Map<Key, Buffer> live = new LinkedHashMap<>();
    private final List<Free> unmatched = new ArrayList<>();
    private final List<Mismatch> mismatches = new ArrayList<>();
    private long lastTreeSeen = Long.MIN_VALUE;

    /** Adds and removes the buffers of one tree, in call order; idempotent per tree. */
    void record(TreeFacts facts) {
        if (facts.tree().rootId() == lastTreeSeen) {
            return;
        }
        lastTreeSeen = facts.tree().rootId();
        List<Allocation> allocs = facts.allocations();
        if (allocs.isEmpty() && !facts.any(Role.FREE_ENTRY)) {
            return;
        }
        List<Node> ops = new ArrayList<>();
        for (Node n : facts.nodes()) {
            if (n.synthetic() || n.hop().kind() != Hop.Kind.FN) {
                continue;
            }
            boolean outermostFree = Symbols.is(n, Role.FREE_ENTRY)
                    && !n.hasAncestor(p -> Symbols.is(p, Role.FREE_ENTRY), null);
            if (outermostFree || facts.isAllocation(n)) {
                ops.add(n);
            }
        }
        ops.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        for (Node op : ops) {
            Allocation a = null;
            for (Allocation x : allocs) {
                if (x.node() == op) {
                    a = x;
                    break;
                }
            }
            if (a != null) {
                allocated(a, facts);
            } else {
                freed(new Free(op.hop(), op.id(), facts));
            }
        }
    }

    private void allocated(Allocation a, TreeFacts facts) {
        if (a.failed()) {
            return;
        }
        Hop h = a.hop();
        long cpu = h.retNum(0);
        Buffer b = new Buffer(a.device(), cpu, h.num(Symbols.DMA_HANDLE, 0), a.size(), h.endNanos(), a.hopId(),
                facts, a);
        live.put(key(a.device(), cpu), b);
    }

    private void freed(Free f) {
        if (!match(f, false)) {
            unmatched.add(f);
        }
    }

    private boolean match(Free f, boolean onlyEarlier) {
        String dev = f.hop.str(Symbols.DEV);
        Buffer b = live.get(key(dev, f.hop.num(Symbols.CPU_ADDR, 0)));
        if (b == null) {
            long handle = f.hop.num(Symbols.DMA_HANDLE, 0);
            if (handle != 0) {
                b = live.values().stream().filter(x -> x.dmaHandle == handle && java.util.Objects.equals(
                        x.device, dev)).findFirst().orElse(null);
            }
        }
        if (b == null || onlyEarlier && b.endNanos > f.hop.startNanos()) {
            return false;
        }
        live.remove(key(b.device, b.cpuAddr));
        long size = f.hop.num(Symbols.SIZE, -1);
        if (size >= 0 && b.size >= 0 && size != b.size) {
            mismatches.add(new Mismatch(b, f));
        }
        return true;
    }

    private boolean settled;

    /** Matches the waiting frees once more; call once, after the last tree. */
    void settle() {
        if (settled) {
            return;
        }
        settled = true;
        unmatched.removeIf(f -> match(f, true));
    }

    /** A buffer's identity, as dma-debug hashes it: device and CPU address (no string built per buffer). */
    private record Key(String device, long cpu) {}

    private static Key key(String device, long cpu) {
        return new Key(device, cpu);
    }

    java.util.Collection<Buffer> live() {
        return live.values();
    }

    List<Free> unmatched() {
        return unmatched;
    }

    List<Mismatch> mismatches() {
        return mismatches;
    }
}
