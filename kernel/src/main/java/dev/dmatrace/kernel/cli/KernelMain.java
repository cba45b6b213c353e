package dev.dmatrace.kernel.cli;

import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.fs.proc.ProcViews;
import dev.dmatrace.kernel.mm.DebugVm;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The kernel module's command line: {@code demo}, {@code sim}, {@code scenarios}, {@code boards}, {@code proc}, {@code boot}, {@code oracle}. Exit codes 0 ok, 1 failed, 2 bad input. */
@Command(name = "dmatrace", mixinStandardHelpOptions = true, version = "dmatrace kernel 0.1.0",
        description = "Boots simulated boards on the Java port of the Linux page allocator.",
        subcommands = {KernelMain.Demo.class, SimCmd.class, ScenariosCmd.class, KernelMain.BoardsCmd.class, KernelMain.Proc.class, BootCmd.class, OracleCmd.class})
public final class KernelMain implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new KernelMain());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("dmatrace: " + ex.getMessage());
            return EXIT_BAD_INPUT;
        });
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EXIT_OK;
    }

    /** Prints the four views of a booted machine under headings; 1 if the invariant checker objects. */
    static int printViews(Machine m, List<String> views, PrintWriter out, PrintWriter err, boolean headings) {
        for (String v : views) {
            if (headings) {
                out.println("== /proc/" + v);
            }
            out.print(view(m, v));
            if (headings) {
                out.println();
            }
        }
        List<String> violations = DebugVm.check(m.pageAlloc());
        if (!violations.isEmpty()) {
            err.println("dmatrace: memory state inconsistent: " + violations.get(0));
            return EXIT_FAILED;
        }
        return EXIT_OK;
    }

    static String view(Machine m, String v) {
        return ProcViews.read(m, v);
    }

    static final List<String> VIEWS = ProcViews.NAMES;

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Run the built-in scenario: a device-pool hit, CMA with migration, a busy retry on a "
                    + "long-term pin, a fallback to buddy, an atomic allocation and a failed 200 MiB request.")
    static final class Demo implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return new CommandLine(new SimCmd()).setOut(spec.commandLine().getOut())
                    .setErr(spec.commandLine().getErr()).execute();
        }
    }

    @Command(name = "boards", mixinStandardHelpOptions = true, description = "List the built-in boards.")
    static final class BoardsCmd implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (Board b : Boards.all()) {
                out.printf("%-20s %-7s %-5s %5d MiB %d cpu  %s%n", b.name(), b.arch().id(), b.profile().version(),
                        b.ramBytes() >> 20, b.cpus(), b.description());
            }
            return EXIT_OK;
        }
    }

    @Command(name = "proc", mixinStandardHelpOptions = true,
            description = "Boot a board and print its /proc views (all four unless --view).")
    static final class Proc implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--board", description = "board name (see: boards); default ${DEFAULT-VALUE}",
                defaultValue = "virt-arm64")
        String board;

        @Option(names = "--profile", description = "kernel profile: 4.4, 5.10, 6.1, 6.12 (default: the board's)")
        String profile;

        @Option(names = "--view", description = "buddyinfo, pagetypeinfo, meminfo or vmstat")
        String view;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Board b = Boards.byName(board);
            if (b == null) {
                err.println("dmatrace: unknown board '" + board + "' (try: dmatrace boards)");
                return EXIT_BAD_INPUT;
            }
            if (profile != null) {
                KernelProfile p = KernelProfile.parse(profile);
                if (p == null) {
                    err.println("dmatrace: unknown profile '" + profile + "' (4.4, 5.10, 6.1, 6.12)");
                    return EXIT_BAD_INPUT;
                }
                b = b.withProfile(p);
            }
            if (view != null && !VIEWS.contains(view)) {
                err.println("dmatrace: unknown view '" + view + "' (" + String.join(", ", VIEWS) + ")");
                return EXIT_BAD_INPUT;
            }
            Machine m = Machine.boot(b);
            return printViews(m, view == null ? VIEWS : List.of(view), spec.commandLine().getOut(), err,
                    view == null);
        }
    }
}
