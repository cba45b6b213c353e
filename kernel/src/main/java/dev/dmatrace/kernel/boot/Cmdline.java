package dev.dmatrace.kernel.boot;

import dev.dmatrace.kernel.KernelFunction;
import dev.dmatrace.kernel.mm.Memblock;
import dev.dmatrace.kernel.of.BootLog;
import dev.dmatrace.kernel.of.DeviceNode;
import dev.dmatrace.kernel.of.DeviceTree;
import dev.dmatrace.kernel.of.OfProfile;
import dev.dmatrace.kernel.of.Property;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel command line as {@code parse_early_param} sees it: split by {@code next_arg} (quotes and all), stopped
 * at {@code --}, each parameter offered to the early handlers modelled here ({@code cma}, {@code coherent_pool},
 * {@code mem}); everything else is kept in order for whoever comes next (the kernel hands it on to init).
 * Like the kernel it accepts any text; what it probably did not mean is listed in {@link #diagnostics()}.
 */
public final class Cmdline {

    /** One {@code param[=value]}; {@code value} is {@code null} without {@code =}. */
    public record Param(String name, String value) {
        @Override
        public String toString() {
            return value == null ? name : name + "=" + value;
        }
    }

    private final OfProfile profile;
    private final BootLog log = new BootLog();
    private final List<String> diagnostics = new ArrayList<>();
    private final List<Param> params = new ArrayList<>();
    private final List<Param> unknown = new ArrayList<>();
    private final List<String> afterDashes = new ArrayList<>();
    private final EarlyCma cma = new EarlyCma();
    private final EarlyCoherentPool coherentPool = new EarlyCoherentPool();
    private final EarlyMem mem = new EarlyMem();

    private Cmdline(OfProfile profile) {
        this.profile = profile;
    }

    public static Cmdline parse(String cmdline, OfProfile profile) {
        Cmdline c = new Cmdline(profile);
        c.parseArgs(cmdline);
        return c;
    }

    /**
     * The command line a devicetree carries: {@code /chosen} (or {@code /chosen@0}) {@code bootargs}, cut to
     * {@code COMMAND_LINE_SIZE - 1} characters as {@code strlcpy} cuts it; empty without one.
     */
    @KernelFunction(symbol = "early_init_dt_scan_chosen", file = "drivers/of/fdt.c")
    public static String bootargs(DeviceTree dt, OfProfile profile) {
        DeviceNode chosen = dt.byPath("/chosen").or(() -> dt.byPath("/chosen@0")).orElse(null);
        String args = chosen == null ? null : chosen.property("bootargs").map(Property::string).orElse(null);
        if (args == null) {
            return "";
        }
        int size = profile.arch() == Arch.ARM ? 1024 : 2048;
        return args.length() < size ? args : args.substring(0, size - 1);
    }

    public List<Param> params() {
        return List.copyOf(params);
    }

    /** Parameters no modelled early handler took, in order. */
    public List<Param> unknown() {
        return List.copyOf(unknown);
    }

    /** The words after {@code --}, which the kernel passes to init untouched. */
    public List<String> afterDashes() {
        return List.copyOf(afterDashes);
    }

    public EarlyCma cma() {
        return cma;
    }

    public EarlyCoherentPool coherentPool() {
        return coherentPool;
    }

    public EarlyMem mem() {
        return mem;
    }

    /** What the early handlers printed. */
    public BootLog log() {
        return log;
    }

    /** Values the kernel accepts silently but reads differently from how they look, one line each. */
    public List<String> diagnostics() {
        return List.copyOf(diagnostics);
    }

    /** For a front door that wants mistakes to stop the run: the first diagnostic as an exception. */
    public Cmdline requireClean() throws CmdlineException {
        if (!diagnostics.isEmpty()) {
            throw new CmdlineException(diagnostics.get(0));
        }
        return this;
    }

    /** {@code mem=}'s effect on the RAM banks; call after the memory nodes were scanned. */
    public void applyMemoryLimit(Memblock memblock, BootLog bootLog) {
        mem.apply(memblock, profile, bootLog);
    }

    @KernelFunction(symbol = "parse_args", file = "kernel/params.c")
    private void parseArgs(String cmdline) {
        char[] args = (cmdline + "\0").toCharArray();
        int at = skipSpaces(args, 0);
        while (args[at] != 0) {
            int[] out = new int[2];
            at = nextArg(args, at, out);
            String name = cString(args, out[0]);
            String value = out[1] < 0 ? null : cString(args, out[1]);
            if (value == null && name.equals("--")) {
                initArgs(args, at);
                return;
            }
            Param p = new Param(name, value);
            params.add(p);
            doEarlyParam(p);
        }
    }

    /** {@code set_init_arg}: the rest, split the same way, each word rejoined as {@code param=value}. */
    private void initArgs(char[] args, int at) {
        while (args[at] != 0) {
            int[] out = new int[2];
            at = nextArg(args, at, out);
            afterDashes.add(new Param(cString(args, out[0]), out[1] < 0 ? null : cString(args, out[1])).toString());
        }
    }

    /**
     * Splits off one parameter in place: {@code out[0]} = start of the name, {@code out[1]} = start of the value
     * or -1. An {@code =} at the very start does not count, quotes group spaces and are stripped as the kernel does.
     */
    @KernelFunction(symbol = "next_arg", file = "lib/cmdline.c")
    static int nextArg(char[] args, int at, int[] out) {
        boolean inQuote = false;
        boolean quoted = false;
        if (args[at] == '"') {
            at++;
            inQuote = true;
            quoted = true;
        }
        int i;
        int equals = 0;
        for (i = 0; args[at + i] != 0; i++) {
            if (isSpace(args[at + i]) && !inQuote) {
                break;
            }
            if (equals == 0 && args[at + i] == '=') {
                equals = i;
            }
            if (args[at + i] == '"') {
                inQuote = !inQuote;
            }
        }
        out[0] = at;
        out[1] = -1;
        if (equals != 0) {
            args[at + equals] = 0;
            out[1] = at + equals + 1;
            if (args[out[1]] == '"') {
                out[1]++;
                if (args[at + i - 1] == '"') {
                    args[at + i - 1] = 0;
                }
            }
        }
        if (quoted && i > 0 && args[at + i - 1] == '"') {
            args[at + i - 1] = 0;
        }
        int next = at + i;
        if (args[next] != 0) {
            args[next] = 0;
            next++;
        }
        return skipSpaces(args, next);
    }

    /** Offers the parameter to each early handler whose name matches; a non-zero return is "malformed". */
    @KernelFunction(symbol = "do_early_param", file = "init/main.c")
    private void doEarlyParam(Param p) {
        int ret;
        if (parameq(p.name(), "cma")) {
            ret = cma.earlyCma(p.value(), profile, log, diagnostics);
        } else if (parameq(p.name(), "coherent_pool")) {
            ret = coherentPool.earlyCoherentPool(p.value(), diagnostics);
        } else if (parameq(p.name(), "mem")) {
            ret = mem.earlyMem(p.value(), profile, log, diagnostics);
        } else {
            unknown.add(p);
            return;
        }
        if (ret != 0) {
            log.warn("Malformed early option '" + p.name() + "'");
            diagnostics.add(p + ": the kernel rejects this ('Malformed early option')");
        }
    }

    /** {@code parameq}: names compare equal with {@code -} and {@code _} interchangeable. */
    static boolean parameq(String a, String b) {
        return a.replace('-', '_').equals(b.replace('-', '_'));
    }

    /** The kernel's {@code isspace}, which also counts 0xA0. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
    }

    private static int skipSpaces(char[] s, int at) {
        while (isSpace(s[at])) {
            at++;
        }
        return at;
    }

    private static String cString(char[] s, int at) {
        int end = at;
        while (s[end] != 0) {
            end++;
        }
        return new String(s, at, end - at);
    }
}
