package dev.dmatrace.analyzer.findings;

import java.util.ArrayList;
import java.util.List;

import dev.dmatrace.analyzer.read.Hop;
import dev.dmatrace.analyzer.tree.Node;

/**
 * One driver-level {@code dma_alloc_coherent()} (the outermost allocation entry of a tree) and the verdict on it:
 * which provider served the buffer, or that none did, and why. The provider is the last one in call order that
 * returned memory: a CMA page that the device cannot address is given back and the buddy allocator tried next.
 */
public final class Allocation {

    /** Where the buffer came from. */
    public enum Path { DEVICE_POOL, CMA, BUDDY, ATOMIC_POOL, UNKNOWN, FAILED }

    private final Node node;
    private final Path path;
    private final String where;
    private final List<String> reasons;

    private Allocation(Node node, Path path, String where, List<String> reasons) {
        this.node = node;
        this.path = path;
        this.where = where;
        this.reasons = reasons;
    }

    public static Allocation of(Node node) {
        Hop h = node.hop();
        Path path = Path.UNKNOWN;
        String where = null;
        // tracepoints share names with functions (4.4's cma_alloc): only function hops provide memory
        for (Node n : node.find(x -> !x.synthetic() && x.hop().kind() == Hop.Kind.FN)) {
            Hop c = n.hop();
            String s = c.symbol();
            if (Symbols.DEVICE_POOL_BUFFER.contains(s) && !Returns.isNull(c)) {
                path = Path.DEVICE_POOL;
                where = "device pool of " + orQ(h.str(Symbols.DEV));
            } else if (Symbols.ATOMIC_POOL.contains(s) && !Returns.isNull(c)) {
                path = Path.ATOMIC_POOL;
                where = "atomic pool";
            } else if (s.equals(Symbols.CMA_ALLOC) && !Returns.isNull(c)) {
                path = Path.CMA;
                where = "CMA area " + cmaArea(n);
            } else if (Symbols.BUDDY_ALLOC.contains(s) && !Returns.isNull(c) && servesBuffer(n, node)) {
                path = Path.BUDDY;
                where = "buddy zone " + zone(n);
            }
        }
        boolean failed = Returns.isNull(h);
        if (failed) {
            path = Path.FAILED;
            where = "failed";
        } else if (path == Path.UNKNOWN && devicePoolHandled(node)) {
            path = Path.DEVICE_POOL;
            where = "device pool of " + orQ(h.str(Symbols.DEV));
        } else if (path == Path.UNKNOWN) {
            where = "not visible in the recording";
        }
        return new Allocation(node, path, where, Reasons.of(node));
    }

    /** A buddy call serves the buffer unless it runs for CMA (migration targets) or for a pool. */
    private static boolean servesBuffer(Node n, Node alloc) {
        return !n.hasAncestor(a -> !a.synthetic() && (Symbols.CMA_PATH.contains(a.symbol())
                || a.symbol().equals(Symbols.ALLOC_CONTIG_RANGE) || Symbols.ATOMIC_POOL.contains(a.symbol())
                || Symbols.BUDDY_ALLOC.contains(a.symbol())), alloc);
    }

    /** 5.10+ dma_alloc_from_dev_coherent returns 1 when the device has a pool, whatever the outcome. */
    private static boolean devicePoolHandled(Node alloc) {
        return !alloc.find(n -> !n.synthetic() && Symbols.DEVICE_POOL.contains(n.symbol())
                && n.hop().retNum(0) == 1).isEmpty();
    }

    /** The area's name: the {@code cma} or {@code name} argument, else the one its tracepoints carry. */
    public static String cmaArea(Node cma) {
        Hop h = cma.hop();
        for (String arg : new String[] {"cma", "name"}) {
            if (h.args().get(arg) instanceof String s) {
                return s;
            }
        }
        for (Node c : cma.children()) {
            if (!c.synthetic() && c.hop().kind() == Hop.Kind.TP && c.hop().args().get("name") instanceof String s) {
                return s;
            }
        }
        return "?";
    }

    /** The zone a buddy allocation came from: a {@code zone} argument below it, else its gfp zone modifiers. */
    static String zone(Node buddy) {
        String[] zone = {null};
        buddy.walk(n -> {
            if (zone[0] == null && !n.synthetic() && n.hop().args().get("zone") instanceof String z) {
                zone[0] = z;
            }
        });
        if (zone[0] != null) {
            return zone[0];
        }
        String gfp = Symbols.gfpText(buddy.hop());
        if (gfp == null) {
            return "?";
        }
        if (gfp.contains("GFP_DMA32")) {
            return "DMA32";
        }
        return gfp.matches(".*\\bGFP_DMA\\b.*") ? "DMA" : "Normal";
    }

    private static String orQ(String s) {
        return s == null ? "?" : s;
    }

    public Node node() {
        return node;
    }

    public Hop hop() {
        return node.hop();
    }

    public long hopId() {
        return node.id();
    }

    public Path path() {
        return path;
    }

    /** The verdict in words: "CMA area reserved", "buddy zone DMA32", "failed" ... */
    public String where() {
        return where;
    }

    public List<String> reasons() {
        return reasons;
    }

    public boolean failed() {
        return path == Path.FAILED;
    }

    public String device() {
        return hop().str(Symbols.DEV);
    }

    public long size() {
        return hop().num(Symbols.SIZE, -1);
    }

    public String gfp() {
        String t = Symbols.gfpText(hop());
        if (t != null) {
            return t;
        }
        long g = Symbols.gfp(hop());
        return g < 0 ? null : String.format("0x%x", g);
    }

    public long durationNanos() {
        return hop().durationNanos();
    }

    /** The allocations of a tree: each outermost allocation entry (nested entries are the same call). */
    public static List<Allocation> in(Node root) {
        List<Allocation> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Node n, List<Allocation> out) {
        if (!n.synthetic() && n.hop().kind() == Hop.Kind.FN && Symbols.ALLOC_ENTRY.contains(n.symbol())) {
            out.add(of(n));
            return;
        }
        for (Node c : n.children()) {
            collect(c, out);
        }
    }
}
