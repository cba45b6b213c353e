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
    /** Worked out when first asked: only failed and reported allocations need them. */
    private List<String> reasons;

    private Allocation(Node node, Path path, String where) {
        this.node = node;
        this.path = path;
        this.where = where;
    }

    public static Allocation of(Node node) {
        Hop h = node.hop();
        Node provider = lastProvider(node, node, null);
        Path path = provider == null ? Path.UNKNOWN : provides(provider, node);
        String where = switch (path) {
            case DEVICE_POOL -> "device pool of " + orQ(h.str(Symbols.DEV));
            case ATOMIC_POOL -> "atomic pool";
            case CMA -> "CMA area " + cmaArea(provider);
            case BUDDY -> "buddy zone " + zone(provider);
            default -> null;
        };
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
        return new Allocation(node, path, where);
    }

    /** The last hop below {@code n}, in call order, that returned the buffer ({@code last} if none). */
    private static Node lastProvider(Node n, Node alloc, Node last) {
        for (int i = 0; i < n.childCount(); i++) {
            Node c = n.child(i);
            if (provides(c, alloc) != null) {
                last = c;
            }
            last = lastProvider(c, alloc, last);
        }
        return last;
    }

    private static final int PROVIDERS = Symbols.Role.DEVICE_POOL_BUFFER | Symbols.Role.ATOMIC_POOL
            | Symbols.Role.CMA_ALLOC | Symbols.Role.BUDDY_ALLOC;

    /**
     * The path a hop below {@code alloc} provides the buffer by, or null. Tracepoints share names with functions
     * (4.4's cma_alloc): only function hops provide memory.
     */
    private static Path provides(Node n, Node alloc) {
        if (n.synthetic() || n.hop().kind() != Hop.Kind.FN) {
            return null;
        }
        Hop c = n.hop();
        int roles = Symbols.roles(c);
        if ((roles & PROVIDERS) == 0 || Returns.isNull(c)) {
            return null;
        }
        if ((roles & Symbols.Role.DEVICE_POOL_BUFFER) != 0) {
            return Path.DEVICE_POOL;
        }
        if ((roles & Symbols.Role.ATOMIC_POOL) != 0) {
            return Path.ATOMIC_POOL;
        }
        if ((roles & Symbols.Role.CMA_ALLOC) != 0) {
            return Path.CMA;
        }
        return servesBuffer(n, alloc) ? Path.BUDDY : null;
    }

    private static final int NOT_THE_BUFFER = Symbols.Role.CMA_PATH | Symbols.Role.ALLOC_CONTIG_RANGE
            | Symbols.Role.ATOMIC_POOL | Symbols.Role.BUDDY_ALLOC;

    /** A buddy call serves the buffer unless it runs for CMA (migration targets) or for a pool. */
    private static boolean servesBuffer(Node n, Node alloc) {
        for (Node a = n.parent(); a != null && a != alloc; a = a.parent()) {
            if (Symbols.is(a, NOT_THE_BUFFER)) {
                return false;
            }
        }
        return true;
    }

    /** 5.10+ dma_alloc_from_dev_coherent returns 1 when the device has a pool, whatever the outcome. */
    private static boolean devicePoolHandled(Node n) {
        for (int i = 0; i < n.childCount(); i++) {
            Node c = n.child(i);
            if (Symbols.is(c, Symbols.Role.DEVICE_POOL) && c.hop().retNum(0) == 1 || devicePoolHandled(c)) {
                return true;
            }
        }
        return false;
    }

    /** The area's name: the {@code cma} or {@code name} argument, else the one its tracepoints carry. */
    public static String cmaArea(Node cma) {
        Hop h = cma.hop();
        for (String arg : new String[] {"cma", "name"}) {
            if (h.arg(arg) instanceof String s) {
                return s;
            }
        }
        for (Node c : cma.children()) {
            if (!c.synthetic() && c.hop().kind() == Hop.Kind.TP && c.hop().arg("name") instanceof String s) {
                return s;
            }
        }
        return "?";
    }

    /** The zone a buddy allocation came from: a {@code zone} argument below it, else its gfp zone modifiers. */
    static String zone(Node buddy) {
        String[] zone = {null};
        buddy.walk(n -> {
            if (zone[0] == null && !n.synthetic() && n.hop().arg("zone") instanceof String z) {
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
        if (reasons == null) {
            reasons = Reasons.of(node);
        }
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
        if (Symbols.is(n, Symbols.Role.ALLOC_ENTRY) && n.hop().kind() == Hop.Kind.FN) {
            out.add(of(n));
            return;
        }
        for (int i = 0; i < n.childCount(); i++) {
            collect(n.child(i), out);
        }
    }
}
