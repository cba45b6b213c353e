package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.boot.Arch;
import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.dma.DmaAttrs;
import dev.dmatrace.kernel.dma.DmaDirect;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a scenario file (YAML or JSON, schema in docs/scenarios.md) into a {@link Scenario}, checking everything
 * that can be checked before the boot: types, unknown keys, sizes, devices, labels, driver names. The first problem
 * is a {@link ScenarioException} naming the file, the line and the field.
 */
public final class ScenarioReader {

    static final List<String> VIEWS = dev.dmatrace.kernel.fs.proc.ProcViews.NAMES;
    static final List<String> FILL_KINDS = List.of("anon", "pagecache-clean", "pagecache-dirty", "shmem");
    private static final Pattern SIZE = Pattern.compile("(-?)(0x[0-9a-fA-F]+|[0-9]+)\\s*([KMGT]?)(i?B)?");
    private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ns|us|ms|s)");
    private static final Pattern DEVICE_NAME = Pattern.compile("[A-Za-z0-9,._+-]+");

    private final String file;
    private final Path dir;
    private final Set<String> devices = new HashSet<>();
    private final Set<String> labels = new HashSet<>();
    private long ramBytes;
    private int cpus;
    /** The devicetree as written, before the scenario's devices are added to it. */
    private DeviceTree dt0;

    private ScenarioReader(String file, Path dir) {
        this.file = file;
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
        Obj o = obj(root, "name", "description", "seed", "board", "devices", "workload");
        String stem = file.replaceFirst("\\.(ya?ml|json)$", "");
        String name = o.fields().containsKey("name") ? str(o.fields().get("name")) : stem;
        String description = str(required(o, "description"));
        long seed = o.fields().containsKey("seed") ? number(o.fields().get("seed")) : 1;
        Obj boardNode = obj(required(o, "board"), "base", "arch", "profile", "cpus", "ram", "boot_reserved",
                "cmdline", "dts", "dts_text", "dma_debug");
        Board board = board(boardNode);
        ramBytes = board.ramBytes();
        cpus = board.cpus();
        DtsSource dtsSource = dtsSource(boardNode);
        dt0 = dtsSource == null ? null : dts(dtsSource, "");
        DeviceTree dt = dt0;
        List<Scenario.DeviceSpec> devs = new ArrayList<>();
        if (o.fields().containsKey("devices")) {
            for (Node d : seq(o.fields().get("devices")).items()) {
                devs.add(device(d, dt));
            }
        }
        dt = withDeviceNodes(dtsSource, devs);
        String cmdline = boardNode.fields().containsKey("cmdline") ? str(boardNode.fields().get("cmdline")) : null;
        boolean debug = boardNode.fields().containsKey("dma_debug") && bool(boardNode.fields().get("dma_debug"));
        List<Step> steps = steps(seq(required(o, "workload")), true);
        return new Scenario(file, name, description, seed, new Scenario.Boot(board, dt, cmdline, debug), devs,
                steps);
    }

    private Board board(Obj b) throws ScenarioException {
        Map<String, Node> f = b.fields();
        Arch arch = null;
        if (f.containsKey("arch")) {
            arch = Arch.parse(str(f.get("arch")));
            if (arch == null) {
                throw error(f.get("arch"), "expected arm, arm64 or x86_64");
            }
        }
        Board base;
        if (f.containsKey("base")) {
            base = Boards.byName(str(f.get("base")));
            if (base == null) {
                throw error(f.get("base"), "unknown board '" + str(f.get("base")) + "' (" + String.join(", ",
                        Boards.all().stream().map(Board::name).toList()) + ")");
            }
        } else {
            base = arch == Arch.ARM ? Boards.VEXPRESS_ARM_44 : arch == Arch.X86_64 ? Boards.PC_X86_64
                    : Boards.VIRT_ARM64;
        }
        KernelProfile profile = base.profile();
        if (f.containsKey("profile")) {
            profile = KernelProfile.parse(str(f.get("profile")));
            if (profile == null) {
                throw error(f.get("profile"), "expected a kernel profile: 4.4, 5.10, 6.1 or 6.12");
            }
        }
        int nrCpus = f.containsKey("cpus") ? (int) positive(f.get("cpus")) : base.cpus();
        List<Board.Bank> banks = base.banks();
        if (f.containsKey("ram")) {
            banks = ram(f.get("ram"), base);
        }
        long reserved = f.containsKey("boot_reserved") ? size(f.get("boot_reserved")) : base.bootReservedBytes();
        return new Board(base.name(), base.description(), arch == null ? base.arch() : arch, profile, banks, nrCpus,
                reserved);
    }

    /** {@code ram: 512M} (one bank where the base board's RAM starts) or a list of {base, size} banks. */
    private List<Board.Bank> ram(Node n, Board base) throws ScenarioException {
        if (n instanceof Scalar) {
            return List.of(new Board.Bank(base.banks().get(0).base(), positiveSize(n)));
        }
        List<Board.Bank> banks = new ArrayList<>();
        for (Node item : seq(n).items()) {
            Obj bank = obj(item, "base", "size");
            banks.add(new Board.Bank(number(required(bank, "base")), positiveSize(required(bank, "size"))));
        }
        if (banks.isEmpty()) {
            throw error(n, "a board needs at least one RAM bank");
        }
        return banks;
    }

    /** Devicetree source as the scenario gives it: a file next to the scenario, or inline text. */
    private record DtsSource(Node node, String name, String text) {
    }

    private DtsSource dtsSource(Obj b) throws ScenarioException {
        Map<String, Node> f = b.fields();
        if (f.containsKey("dts") && f.containsKey("dts_text")) {
            throw error(f.get("dts_text"), "give either dts (a file) or dts_text, not both");
        }
        if (f.containsKey("dts")) {
            Node n = f.get("dts");
            if (dir == null) {
                throw error(n, "a built-in scenario cannot name a file; use dts_text");
            }
            Path p = dir.resolve(str(n));
            try {
                return new DtsSource(n, str(n), Files.readString(p));
            } catch (IOException e) {
                throw error(n, "cannot read " + p + ": " + e.getMessage());
            }
        }
        if (f.containsKey("dts_text")) {
            return new DtsSource(f.get("dts_text"), file.replaceFirst("\\.(ya?ml|json)$", "") + ".dts",
                    str(f.get("dts_text")));
        }
        return null;
    }

    private DeviceTree dts(DtsSource src, String extra) throws ScenarioException {
        try {
            return DeviceTree.parse(src.name(), src.text() + extra);
        } catch (DtsException e) {
            throw error(src.node(), e.getMessage());
        }
    }

    private Scenario.DeviceSpec device(Node n, DeviceTree dt) throws ScenarioException {
        Obj d = obj(n, "name", "coherent_dma_mask", "dma_mask", "coherent", "memory_region");
        Map<String, Node> f = d.fields();
        Node nameNode = required(d, "name");
        String name = str(nameNode);
        if (!DEVICE_NAME.matcher(name).matches()) {
            throw error(nameNode, "a device name is letters, digits and , . _ + -");
        }
        if (!devices.add(name)) {
            throw error(nameNode, "device '" + name + "' is described twice");
        }
        Long coherentMask = f.containsKey("coherent_dma_mask") ? mask(f.get("coherent_dma_mask")) : null;
        Long dmaMask = f.containsKey("dma_mask") ? mask(f.get("dma_mask")) : null;
        Boolean coherent = f.containsKey("coherent") ? bool(f.get("coherent")) : null;
        String region = null;
        if (f.containsKey("memory_region")) {
            Node r = f.get("memory_region");
            region = str(r);
            if (dt == null) {
                throw error(r, "needs a devicetree (board.dts or board.dts_text) with a reserved-memory node");
            }
            DeviceNode target = dt.byLabel(region).orElse(null);
            if (target == null || !target.path().startsWith("/reserved-memory/")) {
                throw error(r, "no reserved-memory node labelled '" + region + "' in the devicetree (labels: "
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
            throw error(n, "expected one step, e.g. '- alloc: {device: cam, size: 4M}' (steps: "
                    + String.join(", ", kinds) + ")");
        }
        String kind = o.fields().keySet().iterator().next();
        Node v = o.fields().get(kind);
        if (!kinds.contains(kind)) {
            throw error(v, "unknown step '" + kind + "'" + (topLevel ? "" : " inside a thread") + " (steps: "
                    + String.join(", ", kinds) + ")");
        }
        return switch (kind) {
            case "fill" -> fill(v);
            case "pin" -> pin(v);
            case "alloc" -> alloc(v);
            case "free" -> free(v);
            case "driver" -> driver(v);
            case "wait" -> new Scenario.Wait(v.line(), duration(v));
            case "checkpoint" -> checkpoint(v);
            default -> parallel(v);
        };
    }

    private Step fill(Node n) throws ScenarioException {
        Obj o = obj(n, "kind", "size", "leave_free");
        Node kindNode = required(o, "kind");
        String kind = str(kindNode);
        if (!FILL_KINDS.contains(kind)) {
            throw error(kindNode, "expected one of " + String.join(", ", FILL_KINDS));
        }
        Map<String, Node> f = o.fields();
        if (f.containsKey("size") == f.containsKey("leave_free")) {
            throw error(n, "give either size (how much to fill) or leave_free (how much to leave)");
        }
        if (f.containsKey("size")) {
            return new Scenario.Fill(n.line(), kind, withinRam(f.get("size")) >>> 12, -1);
        }
        return new Scenario.Fill(n.line(), kind, -1, withinRam(f.get("leave_free")) >>> 12);
    }

    private Step pin(Node n) throws ScenarioException {
        Obj o = obj(n, "count", "at", "term", "release_after", "where");
        Map<String, Node> f = o.fields();
        List<Long> at = new ArrayList<>();
        if (f.containsKey("at")) {
            for (Node off : seq(f.get("at")).items()) {
                long v = number(off);
                if (v < 0) {
                    throw error(off, "a page offset into the CMA area must not be negative");
                }
                at.add(v);
            }
            if (!f.containsKey("where") || str(f.get("where")).equals("random")) {
                throw error(f.get("at"), "page offsets need where: the CMA area they are offsets into");
            }
        }
        int count = f.containsKey("count") || at.isEmpty() ? (int) positive(required(o, "count")) : at.size();
        if (!at.isEmpty() && count != at.size()) {
            throw error(f.get("count"), "expected " + at.size() + ", one pin per offset in at");
        }
        boolean longTerm = true;
        if (f.containsKey("term")) {
            String term = str(f.get("term"));
            if (!term.equals("long") && !term.equals("short")) {
                throw error(f.get("term"), "expected long (FOLL_LONGTERM, never released) or short");
            }
            longTerm = term.equals("long");
        }
        if (f.containsKey("release_after") && longTerm) {
            throw error(f.get("release_after"), "only a short pin is released");
        }
        int releaseAfter = f.containsKey("release_after") ? (int) positive(f.get("release_after")) : 2;
        String where = f.containsKey("where") ? str(f.get("where")) : "random";
        return new Scenario.Pin(n.line(), count, List.copyOf(at), longTerm, releaseAfter,
                where.equals("random") ? null : where);
    }

    private Step alloc(Node n) throws ScenarioException {
        Obj o = obj(n, "device", "size", "gfp", "attrs", "repeat", "label", "expect");
        Map<String, Node> f = o.fields();
        String dev = deviceRef(required(o, "device"));
        long size = withinRam(required(o, "size"));
        if (size == 0) {
            throw error(f.get("size"), "must be more than 0");
        }
        long gfp = f.containsKey("gfp") ? flags(f.get("gfp"), Gfp.class, "GFP_KERNEL | __GFP_NOWARN") : Gfp.GFP_KERNEL;
        long attrs = f.containsKey("attrs") ? flags(f.get("attrs"), DmaAttrs.class, "DMA_ATTR_NO_WARN") : 0;
        int repeat = f.containsKey("repeat") ? (int) positive(f.get("repeat")) : 1;
        String label = f.containsKey("label") ? str(f.get("label")) : null;
        if (label != null) {
            labels.add(label);
        }
        return new Scenario.Alloc(n.line(), dev, size, gfp, attrs, repeat, label, expect(f.get("expect")));
    }

    private Step free(Node n) throws ScenarioException {
        Obj o = obj(n, "label", "size");
        Node l = required(o, "label");
        if (!labels.contains(str(l))) {
            throw error(l, "no earlier alloc has label '" + str(l) + "'");
        }
        Long size = o.fields().containsKey("size") ? withinRam(o.fields().get("size")) : null;
        return new Scenario.Free(n.line(), str(l), size);
    }

    private Step driver(Node n) throws ScenarioException {
        Obj o = obj(n, "name", "device", "action", "count", "params", "expect");
        Map<String, Node> f = o.fields();
        Node nameNode = required(o, "name");
        String name = str(nameNode);
        if (DriverModels.create(name) == null) {
            List<String> known = DriverModels.names();
            throw error(nameNode, "unknown driver '" + name + "' (known: "
                    + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
        }
        String dev = f.containsKey("device") && ((Scalar) scalar(f.get("device"))).text() != null
                ? deviceRef(f.get("device")) : null;
        Node actionNode = required(o, "action");
        String action = str(actionNode);
        if (!List.of("probe", "io", "remove").contains(action)) {
            throw error(actionNode, "expected probe, io or remove");
        }
        int count = f.containsKey("count") ? (int) positive(f.get("count")) : 1;
        Map<String, Long> params = new LinkedHashMap<>();
        if (f.containsKey("params")) {
            Node p = f.get("params");
            if (!(p instanceof Obj po)) {
                throw error(p, "expected a map of numeric parameters, e.g. {size: 64K}");
            }
            for (Map.Entry<String, Node> e : po.fields().entrySet()) {
                params.put(e.getKey(), size(e.getValue()));
            }
        }
        return new Scenario.Driver(n.line(), name, dev, action, count, params, expect(f.get("expect")));
    }

    private Step checkpoint(Node n) throws ScenarioException {
        if (n instanceof Scalar) {
            return new Scenario.Checkpoint(n.line(), str(n), VIEWS);
        }
        Obj o = obj(n, "label", "views");
        List<String> views = VIEWS;
        if (o.fields().containsKey("views")) {
            views = new ArrayList<>();
            for (Node v : seq(o.fields().get("views")).items()) {
                if (!VIEWS.contains(str(v))) {
                    throw error(v, "expected one of " + String.join(", ", VIEWS));
                }
                views.add(str(v));
            }
        }
        return new Scenario.Checkpoint(n.line(), str(required(o, "label")), views);
    }

    private Step parallel(Node n) throws ScenarioException {
        List<Scenario.CpuThread> threads = new ArrayList<>();
        Set<Long> used = new HashSet<>();
        for (Node t : seq(n).items()) {
            Obj o = obj(t, "cpu", "comm", "ops");
            Node cpuNode = required(o, "cpu");
            long cpu = number(cpuNode);
            if (cpu < 0 || cpu >= cpus) {
                throw error(cpuNode, "the board has cpus 0.." + (cpus - 1));
            }
            if (!used.add(cpu)) {
                throw error(cpuNode, "two threads on cpu " + cpu);
            }
            String comm = o.fields().containsKey("comm") ? str(o.fields().get("comm")) : "kworker/" + cpu + ":1";
            threads.add(new Scenario.CpuThread((int) cpu, comm, steps(seq(required(o, "ops")), false)));
        }
        if (threads.isEmpty()) {
            throw error(n, "expected at least one thread");
        }
        return new Scenario.Parallel(n.line(), threads);
    }

    private String deviceRef(Node n) throws ScenarioException {
        String d = str(n);
        if (!devices.contains(d)) {
            throw error(n, "unknown device '" + d + "' (devices: " + (devices.isEmpty() ? "none"
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
            return expect(required(obj(n, "result"), "result"));
        }
        return switch (str(n)) {
            case "ok" -> Scenario.Expect.OK;
            case "fail" -> Scenario.Expect.FAIL;
            case "any" -> Scenario.Expect.ANY;
            default -> throw error(n, "expected ok, fail or any");
        };
    }

    /** {@code GFP_KERNEL | __GFP_NOWARN}: names of the public constants of {@code names}, or a number. */
    private long flags(Node n, Class<?> names, String example) throws ScenarioException {
        String text = str(n);
        long v = 0;
        for (String part : text.split("\\|")) {
            String name = part.trim();
            try {
                v |= name.matches("0x[0-9a-fA-F]+|[0-9]+") ? Long.decode(name) : names.getField(name).getLong(null);
            } catch (NoSuchFieldException | IllegalAccessException e) {
                throw error(n, "unknown flag '" + name + "' (expected names like " + example + ")");
            }
        }
        return v;
    }

    private Obj obj(Node n, String... keys) throws ScenarioException {
        if (!(n instanceof Obj o)) {
            throw error(n, "expected a map with " + String.join(", ", keys));
        }
        List<String> allowed = List.of(keys);
        for (Map.Entry<String, Node> e : o.fields().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw error(e.getValue(), "unknown key (expected one of: " + String.join(", ", keys) + ")");
            }
        }
        return o;
    }

    private Node required(Obj o, String key) throws ScenarioException {
        Node n = o.fields().get(key);
        if (n == null) {
            throw new ScenarioException(file, o.line(), o.path().isEmpty() ? key : o.path() + "." + key,
                    "missing");
        }
        return n;
    }

    private Seq seq(Node n) throws ScenarioException {
        if (!(n instanceof Seq s)) {
            throw error(n, "expected a list");
        }
        return s;
    }

    private Node scalar(Node n) throws ScenarioException {
        if (!(n instanceof Scalar)) {
            throw error(n, "expected a single value, not a " + (n instanceof Seq ? "list" : "map"));
        }
        return n;
    }

    private String str(Node n) throws ScenarioException {
        String t = ((Scalar) scalar(n)).text();
        if (t == null || t.isBlank()) {
            throw error(n, "expected a value");
        }
        return t;
    }

    private boolean bool(Node n) throws ScenarioException {
        String t = str(n).toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
            throw error(n, "expected true or false");
        }
        return t.equals("true");
    }

    private long number(Node n) throws ScenarioException {
        String t = str(n);
        try {
            return Long.decode(t);
        } catch (NumberFormatException e) {
            throw error(n, "expected a number");
        }
    }

    private long positive(Node n) throws ScenarioException {
        long v = number(n);
        if (v <= 0) {
            throw error(n, "must be more than 0");
        }
        return v;
    }

    /** A size in bytes: {@code 4096}, {@code 0x1000}, {@code 64K}, {@code 200M}, {@code 1G}, {@code 4MiB}. */
    private long size(Node n) throws ScenarioException {
        Matcher m = SIZE.matcher(str(n).trim());
        if (!m.matches()) {
            throw error(n, "expected a size like 4096, 64K, 200M or 1G");
        }
        if (!m.group(1).isEmpty()) {
            throw error(n, "a size cannot be negative");
        }
        int shift = switch (m.group(3)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        try {
            long v = Long.decode(m.group(2));
            if (v > Long.MAX_VALUE >>> shift) {
                throw error(n, "too large");
            }
            return v << shift;
        } catch (NumberFormatException e) {
            throw error(n, "too large");
        }
    }

    private long positiveSize(Node n) throws ScenarioException {
        long v = size(n);
        if (v == 0) {
            throw error(n, "must be more than 0");
        }
        return v;
    }

    private long withinRam(Node n) throws ScenarioException {
        long v = size(n);
        if (v > ramBytes) {
            throw error(n, str(n) + " is more than the board's " + (ramBytes >> 20) + " MiB of RAM");
        }
        return v;
    }

    /** A DMA mask: a bit count (1..64) or the mask itself. */
    private long mask(Node n) throws ScenarioException {
        long v;
        try {
            v = Long.decode(str(n));
        } catch (NumberFormatException e) {
            throw error(n, "expected a number or a bit count like 32");
        }
        if (v <= 0) {
            throw error(n, "expected a number or a bit count like 32");
        }
        return v <= 64 ? DmaDirect.dmaBitMask((int) v) : v;
    }

    private long duration(Node n) throws ScenarioException {
        Matcher m = DURATION.matcher(str(n).trim());
        if (!m.matches()) {
            throw error(n, "expected a duration like 500us, 10ms or 1s");
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ns" -> v;
            case "us" -> v * 1_000;
            case "ms" -> v * 1_000_000;
            default -> v * 1_000_000_000;
        };
    }

    private ScenarioException error(Node n, String message) {
        return new ScenarioException(file, n.line(), n.path(), message);
    }
}
