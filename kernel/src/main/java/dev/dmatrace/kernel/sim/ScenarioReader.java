package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.boot.Arch;
import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.dma.DmaAttrs;
import dev.dmatrace.kernel.drivers.models.DriverModels;
import dev.dmatrace.kernel.mm.Gfp;
import dev.dmatrace.kernel.of.DeviceNode;
import dev.dmatrace.kernel.of.DeviceTree;
import dev.dmatrace.kernel.of.DtsException;
import dev.dmatrace.kernel.sim.Node.Obj;
import dev.dmatrace.kernel.sim.Node.Scalar;
import dev.dmatrace.kernel.sim.Node.Seq;
import dev.dmatrace.kernel.sim.Scenario.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a scenario file (YAML or JSON, schema in docs/scenarios.md) into a {@link Scenario}, checking everything
 * that can be checked before the boot: types, unknown keys, sizes, devices, labels, driver names. The first problem
 * is a {@link ScenarioException} naming the file, the line and the field.
 */
public final class ScenarioReader {

    static final List<String> VIEWS = dev.dmatrace.kernel.fs.proc.ProcViews.NAMES;
    static final List<String> FILL_KINDS = List.of("anon", "pagecache-clean", "pagecache-dirty", "shmem");
    private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9,._+-]+");

    private final String file;
    private final Fields val;
    private final Path dir;
    private final Set<String> devices = new HashSet<>();
    private final Set<String> labels = new HashSet<>();
    private long ramBytes;
    private int cpus;
    /** The devicetree as written, before the scenario's devices are added to it. */
    private DeviceTree dt0;

    private ScenarioReader(String file, Path dir) {
        this.file = file;
        this.val = new Fields(file);
        this.dir = dir;
    }

    /** Reads a scenario file from disk; its devicetree path is relative to the file. */
    public static Scenario read(Path path) throws ScenarioException {
        String name = path.getFileName().toString();
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new ScenarioException(name, 0, "", "cannot read " + path + ": " + e.getMessage());
        }
        Path parent = path.toAbsolutePath().getParent();
        return new ScenarioReader(name, parent).scenario(Node.parse(name, text));
    }

    /** Reads scenario text; a devicetree path in it is relative to {@code dir} (null: none allowed). */
    public static Scenario read(String file, String text, Path dir) throws ScenarioException {
        return new ScenarioReader(file, dir).scenario(Node.parse(file, text));
    }

    private Scenario scenario(Node root) throws ScenarioException {
        Obj o = val.obj(root, "name", "description", "seed", "board", "devices", "workload");
        String stem = file.replaceFirst("\\.(ya?ml|json)$", "");
        String name = o.fields().containsKey("name") ? val.str(o.fields().get("name")) : stem;
        String description = val.str(val.required(o, "description"));
        long seed = o.fields().containsKey("seed") ? val.number(o.fields().get("seed")) : 1;
        Obj boardNode = val.obj(val.required(o, "board"), "base", "arch", "profile", "cpus", "ram", "boot_reserved",
                "cmdline", "dts", "dts_text", "dma_debug");
        Board board = board(boardNode);
        ramBytes = board.ramBytes();
        cpus = board.cpus();
        DtsSource dtsSource = dtsSource(boardNode);
        dt0 = dtsSource == null ? null : dts(dtsSource, "");
        DeviceTree dt = dt0;
        List<Scenario.DeviceSpec> devs = new ArrayList<>();
        if (o.fields().containsKey("devices")) {
            for (Node d : val.seq(o.fields().get("devices")).items()) {
                devs.add(device(d, dt));
            }
        }
        dt = withDeviceNodes(dtsSource, devs);
        String cmdline = boardNode.fields().containsKey("cmdline") ? val.str(boardNode.fields().get("cmdline")) : null;
        boolean debug = boardNode.fields().containsKey("dma_debug") && val.bool(boardNode.fields().get("dma_debug"));
        List<Step> steps = steps(val.seq(val.required(o, "workload")), true);
        return new Scenario(file, name, description, seed, new Scenario.Boot(board, dt, cmdline, debug), devs,
                steps);
    }

    private Board board(Obj b) throws ScenarioException {
        Map<String, Node> f = b.fields();
        Arch arch = null;
        if (f.containsKey("arch")) {
            arch = Arch.parse(val.str(f.get("arch")));
            if (arch == null) {
                throw val.error(f.get("arch"), "expected arm, arm64 or x86_64");
            }
        }
        Board base;
        if (f.containsKey("base")) {
            base = Boards.byName(val.str(f.get("base")));
            if (base == null) {
                throw val.error(f.get("base"), "unknown board '" + val.str(f.get("base")) + "' (" + String.join(", ",
                        Boards.all().stream().map(Board::name).toList()) + ")");
            }
        } else {
            base = arch == Arch.ARM ? Boards.VEXPRESS_ARM_44 : arch == Arch.X86_64 ? Boards.PC_X86_64
                    : Boards.VIRT_ARM64;
        }
        KernelProfile profile = base.profile();
        if (f.containsKey("profile")) {
            profile = KernelProfile.parse(val.str(f.get("profile")));
            if (profile == null) {
                throw val.error(f.get("profile"), "expected a kernel profile: 4.4, 5.10, 6.1 or 6.12");
            }
        }
        int nrCpus = f.containsKey("cpus") ? (int) val.positive(f.get("cpus")) : base.cpus();
        List<Board.Bank> banks = base.banks();
        if (f.containsKey("ram")) {
            banks = ram(f.get("ram"), base);
        }
        long reserved = f.containsKey("boot_reserved") ? val.size(f.get("boot_reserved")) : base.bootReservedBytes();
        return new Board(base.name(), base.description(), arch == null ? base.arch() : arch, profile, banks, nrCpus,
                reserved);
    }

    /** {@code ram: 512M} (one bank where the base board's RAM starts) or a list of {base, size} banks. */
    private List<Board.Bank> ram(Node n, Board base) throws ScenarioException {
        if (n instanceof Scalar) {
            return List.of(new Board.Bank(base.banks().get(0).base(), val.positiveSize(n)));
        }
        List<Board.Bank> banks = new ArrayList<>();
        for (Node item : val.seq(n).items()) {
            Obj bank = val.obj(item, "base", "size");
            banks.add(new Board.Bank(val.number(val.required(bank, "base")), val.positiveSize(val.required(bank, "size"))));
        }
        if (banks.isEmpty()) {
            throw val.error(n, "a board needs at least one RAM bank");
        }
        return banks;
    }

    /** Devicetree source as the scenario gives it: a file next to the scenario, or inline text. */
    private record DtsSource(Node node, String name, String text) {
    }

    private DtsSource dtsSource(Obj b) throws ScenarioException {
        Map<String, Node> f = b.fields();
        if (f.containsKey("dts") && f.containsKey("dts_text")) {
            throw val.error(f.get("dts_text"), "give either dts (a file) or dts_text, not both");
        }
        if (f.containsKey("dts")) {
            Node n = f.get("dts");
            if (dir == null) {
                throw val.error(n, "a built-in scenario cannot name a file; use dts_text");
            }
            Path p = dir.resolve(val.str(n));
            try {
                return new DtsSource(n, val.str(n), Files.readString(p));
            } catch (IOException e) {
                throw val.error(n, "cannot read " + p + ": " + e.getMessage());
            }
        }
        if (f.containsKey("dts_text")) {
            return new DtsSource(f.get("dts_text"), file.replaceFirst("\\.(ya?ml|json)$", "") + ".dts",
                    val.str(f.get("dts_text")));
        }
        return null;
    }

    private DeviceTree dts(DtsSource src, String extra) throws ScenarioException {
        try {
            return DeviceTree.parse(src.name(), src.text() + extra);
        } catch (DtsException e) {
            throw val.error(src.node(), e.getMessage());
        }
    }

    private Scenario.DeviceSpec device(Node n, DeviceTree dt) throws ScenarioException {
        Obj d = val.obj(n, "name", "coherent_dma_mask", "dma_mask", "coherent", "memory_region");
        Map<String, Node> f = d.fields();
        Node nameNode = val.required(d, "name");
        String name = val.str(nameNode);
        if (!DEVICE_NAME.matcher(name).matches()) {
            throw val.error(nameNode, "a device name is letters, digits and , . _ + -");
        }
        if (!devices.add(name)) {
            throw val.error(nameNode, "device '" + name + "' is described twice");
        }
        Long coherentMask = f.containsKey("coherent_dma_mask") ? val.mask(f.get("coherent_dma_mask")) : null;
        Long dmaMask = f.containsKey("dma_mask") ? val.mask(f.get("dma_mask")) : null;
        Boolean coherent = f.containsKey("coherent") ? val.bool(f.get("coherent")) : null;
        String region = null;
        if (f.containsKey("memory_region")) {
            Node r = f.get("memory_region");
            region = val.str(r);
            if (dt == null) {
                throw val.error(r, "needs a devicetree (board.dts or board.dts_text) with a reserved-memory node");
            }
            DeviceNode target = dt.byLabel(region).orElse(null);
            if (target == null || !target.path().startsWith("/reserved-memory/")) {
                throw val.error(r, "no reserved-memory node labelled '" + region + "' in the devicetree (labels: "
                        + String.join(", ", reservedLabels(dt)) + ")");
            }
        }
        return new Scenario.DeviceSpec(name, coherentMask, dmaMask, coherent, region);
    }

    private static List<String> reservedLabels(DeviceTree dt) {
        List<String> out = new ArrayList<>();
        dt.byPath("/reserved-memory").ifPresent(rm -> rm.children().forEach(c -> out.addAll(c.labels())));
        return out;
    }

    /**
     * A device that names a memory-region becomes a devicetree node of that name, so the kernel binds it at boot
     * the way of_reserved_mem_device_init() binds a real one.
     */
    private DeviceTree withDeviceNodes(DtsSource src, List<Scenario.DeviceSpec> devs) throws ScenarioException {
        StringBuilder extra = new StringBuilder();
        for (Scenario.DeviceSpec d : devs) {
            if (d.memoryRegion() != null) {
                extra.append("\n/ {\n\t").append(d.name()).append(" {\n\t\tcompatible = \"dmatrace,scenario\";\n")
                        .append("\t\tmemory-region = <&").append(d.memoryRegion()).append(">;\n")
                        .append(Boolean.TRUE.equals(d.coherent()) ? "\t\tdma-coherent;\n" : "")
                        .append("\t};\n};\n");
            }
        }
        return extra.length() == 0 ? dt0 : dts(src, extra.toString());
    }

    private List<Step> steps(Seq s, boolean topLevel) throws ScenarioException {
        List<Step> out = new ArrayList<>();
        for (Node item : s.items()) {
            out.add(step(item, topLevel));
        }
        return out;
    }

    private Step step(Node n, boolean topLevel) throws ScenarioException {
        List<String> kinds = topLevel
                ? List.of("fill", "pin", "alloc", "free", "driver", "wait", "checkpoint", "parallel")
                : List.of("alloc", "free", "driver", "wait");
        if (!(n instanceof Obj o) || o.fields().size() != 1) {
            throw val.error(n, "expected one step, e.g. '- alloc: {device: cam, size: 4M}' (steps: "
                    + String.join(", ", kinds) + ")");
        }
        String kind = o.fields().keySet().iterator().next();
        Node v = o.fields().get(kind);
        if (!kinds.contains(kind)) {
            throw val.error(v, "unknown step '" + kind + "'" + (topLevel ? "" : " inside a thread") + " (steps: "
                    + String.join(", ", kinds) + ")");
        }
        return switch (kind) {
            case "fill" -> fill(v);
            case "pin" -> pin(v);
            case "alloc" -> alloc(v);
            case "free" -> free(v);
            case "driver" -> driver(v);
            case "wait" -> new Scenario.Wait(v.line(), val.duration(v));
            case "checkpoint" -> checkpoint(v);
            default -> parallel(v);
        };
    }

    private Step fill(Node n) throws ScenarioException {
        Obj o = val.obj(n, "kind", "size", "leave_free");
        Node kindNode = val.required(o, "kind");
        String kind = val.str(kindNode);
        if (!FILL_KINDS.contains(kind)) {
            throw val.error(kindNode, "expected one of " + String.join(", ", FILL_KINDS));
        }
        Map<String, Node> f = o.fields();
        if (f.containsKey("size") == f.containsKey("leave_free")) {
            throw val.error(n, "give either size (how much to fill) or leave_free (how much to leave)");
        }
        if (f.containsKey("size")) {
            return new Scenario.Fill(n.line(), kind, withinRam(f.get("size")) >>> 12, -1);
        }
        return new Scenario.Fill(n.line(), kind, -1, withinRam(f.get("leave_free")) >>> 12);
    }

    private Step pin(Node n) throws ScenarioException {
        Obj o = val.obj(n, "count", "at", "term", "release_after", "where");
        Map<String, Node> f = o.fields();
        List<Long> at = new ArrayList<>();
        if (f.containsKey("at")) {
            for (Node off : val.seq(f.get("at")).items()) {
                long v = val.number(off);
                if (v < 0) {
                    throw val.error(off, "a page offset into the CMA area must not be negative");
                }
                at.add(v);
            }
            if (!f.containsKey("where") || val.str(f.get("where")).equals("random")) {
                throw val.error(f.get("at"), "page offsets need where: the CMA area they are offsets into");
            }
        }
        int count = f.containsKey("count") || at.isEmpty() ? (int) val.positive(val.required(o, "count")) : at.size();
        if (!at.isEmpty() && count != at.size()) {
            throw val.error(f.get("count"), "expected " + at.size() + ", one pin per offset in at");
        }
        boolean longTerm = true;
        if (f.containsKey("term")) {
            String term = val.str(f.get("term"));
            if (!term.equals("long") && !term.equals("short")) {
                throw val.error(f.get("term"), "expected long (FOLL_LONGTERM, never released) or short");
            }
            longTerm = term.equals("long");
        }
        if (f.containsKey("release_after") && longTerm) {
            throw val.error(f.get("release_after"), "only a short pin is released");
        }
        int releaseAfter = f.containsKey("release_after") ? (int) val.positive(f.get("release_after")) : 2;
        String where = f.containsKey("where") ? val.str(f.get("where")) : "random";
        return new Scenario.Pin(n.line(), count, List.copyOf(at), longTerm, releaseAfter,
                where.equals("random") ? null : where);
    }

    private Step alloc(Node n) throws ScenarioException {
        Obj o = val.obj(n, "device", "size", "gfp", "attrs", "repeat", "label", "expect");
        Map<String, Node> f = o.fields();
        String dev = deviceRef(val.required(o, "device"));
        long size = withinRam(val.required(o, "size"));
        if (size == 0) {
            throw val.error(f.get("size"), "must be more than 0");
        }
        long gfp = f.containsKey("gfp") ? val.flags(f.get("gfp"), Gfp.class, "GFP_KERNEL | __GFP_NOWARN") : Gfp.GFP_KERNEL;
        long attrs = f.containsKey("attrs") ? val.flags(f.get("attrs"), DmaAttrs.class, "DMA_ATTR_NO_WARN") : 0;
        int repeat = f.containsKey("repeat") ? (int) val.positive(f.get("repeat")) : 1;
        String label = f.containsKey("label") ? val.str(f.get("label")) : null;
        if (label != null) {
            labels.add(label);
        }
        return new Scenario.Alloc(n.line(), dev, size, gfp, attrs, repeat, label, expect(f.get("expect")));
    }

    private Step free(Node n) throws ScenarioException {
        Obj o = val.obj(n, "label", "size");
        Node l = val.required(o, "label");
        if (!labels.contains(val.str(l))) {
            throw val.error(l, "no earlier alloc has label '" + val.str(l) + "'");
        }
        Long size = o.fields().containsKey("size") ? withinRam(o.fields().get("size")) : null;
        return new Scenario.Free(n.line(), val.str(l), size);
    }

    private Step driver(Node n) throws ScenarioException {
        Obj o = val.obj(n, "name", "device", "action", "count", "params", "expect");
        Map<String, Node> f = o.fields();
        Node nameNode = val.required(o, "name");
        String name = val.str(nameNode);
        if (DriverModels.create(name) == null) {
            List<String> known = DriverModels.names();
            throw val.error(nameNode, "unknown driver '" + name + "' (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
        }
        String dev = f.containsKey("device") && ((Scalar) val.scalar(f.get("device"))).text() != null
                ? deviceRef(f.get("device")) : null;
        Node actionNode = val.required(o, "action");
        String action = val.str(actionNode);
        if (!List.of("probe", "io", "remove").contains(action)) {
            throw val.error(actionNode, "expected probe, io or remove");
        }
        int count = f.containsKey("count") ? (int) val.positive(f.get("count")) : 1;
        Map<String, Long> params = new LinkedHashMap<>();
        if (f.containsKey("params")) {
            Node p = f.get("params");
            if (!(p instanceof Obj po)) {
                throw val.error(p, "expected a map of numeric parameters, e.g. {size: 64K}");
            }
            for (Map.Entry<String, Node> e : po.fields().entrySet()) {
                params.put(e.getKey(), val.size(e.getValue()));
            }
        }
        return new Scenario.Driver(n.line(), name, dev, action, count, params, expect(f.get("expect")));
    }

    private Step checkpoint(Node n) throws ScenarioException {
        if (n instanceof Scalar) {
            return new Scenario.Checkpoint(n.line(), val.str(n), VIEWS);
        }
        Obj o = val.obj(n, "label", "views");
        List<String> views = VIEWS;
        if (o.fields().containsKey("views")) {
            views = new ArrayList<>();
            for (Node v : val.seq(o.fields().get("views")).items()) {
                if (!VIEWS.contains(val.str(v))) {
                    throw val.error(v, "expected one of " + String.join(", ", VIEWS));
                }
                views.add(val.str(v));
            }
        }
        return new Scenario.Checkpoint(n.line(), val.str(val.required(o, "label")), views);
    }

    private Step parallel(Node n) throws ScenarioException {
        List<Scenario.CpuThread> threads = new ArrayList<>();
        Set<Long> used = new HashSet<>();
        for (Node t : val.seq(n).items()) {
            Obj o = val.obj(t, "cpu", "comm", "ops");
            Node cpuNode = val.required(o, "cpu");
            long cpu = val.number(cpuNode);
            if (cpu < 0 || cpu >= cpus) {
                throw val.error(cpuNode, "the board has cpus 0.." + (cpus - 1));
            }
            if (!used.add(cpu)) {
                throw val.error(cpuNode, "two threads on cpu " + cpu);
            }
            String comm = o.fields().containsKey("comm") ? val.str(o.fields().get("comm")) : "kworker/" + cpu + ":1";
            threads.add(new Scenario.CpuThread((int) cpu, comm, steps(val.seq(val.required(o, "ops")), false)));
        }
        if (threads.isEmpty()) {
            throw val.error(n, "expected at least one thread");
        }
        return new Scenario.Parallel(n.line(), threads);
    }

    private String deviceRef(Node n) throws ScenarioException {
        String d = val.str(n);
        if (!devices.contains(d)) {
            throw val.error(n, "unknown device '" + d + "' (devices: " + (devices.isEmpty() ? "none"
                    : String.join(", ", devices.stream().sorted().toList())) + ")");
        }
        return d;
    }

    private Scenario.Expect expect(Node n) throws ScenarioException {
        if (n == null) {
            return Scenario.Expect.ANY;
        }
        if (n instanceof Obj) {
            // the long form, {result: fail}
            return expect(val.required(val.obj(n, "result"), "result"));
        }
        return switch (val.str(n)) {
            case "ok" -> Scenario.Expect.OK;
            case "fail" -> Scenario.Expect.FAIL;
            case "any" -> Scenario.Expect.ANY;
            default -> throw val.error(n, "expected ok, fail or any");
        };
    }

    private long withinRam(Node n) throws ScenarioException {
        long v = val.size(n);
        if (v > ramBytes) {
            throw val.error(n, val.str(n) + " is more than the board's " + (ramBytes >> 20) + " MiB of RAM");
        }
        return v;
    }

}
