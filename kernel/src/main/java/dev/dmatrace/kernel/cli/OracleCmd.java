package dev.dmatrace.kernel.cli;

import dev.dmatrace.kernel.oracle.Oracle;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dmatrace oracle CASE_DIR... | --all [--print]}: exit 0 only when every case is equal. */
@Command(name = "oracle", mixinStandardHelpOptions = true,
        description = "Simulate recorded oracle cases (reading only case.json) and compare with their summary.txt.")
final class OracleCmd implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "CASE_DIR", description = "case directories (each with case.json)")
    List<Path> cases = new ArrayList<>();

    @Option(names = "--all", description = "every recorded public case (sample-traces/oracle-cases)")
    boolean all;

    @Option(names = "--print", description = "only print the simulated EV/MOD/KMSG lines")
    boolean print;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> dirs = new ArrayList<>(cases);
        if (all) {
            dirs.addAll(Oracle.allCases());
        }
        if (dirs.isEmpty()) {
            err.println("dmatrace oracle: name CASE_DIRs or --all");
            return KernelMain.EXIT_BAD_INPUT;
        }
        for (Path d : dirs) {
            if (!Files.isRegularFile(d.resolve("case.json"))) {
                err.println("dmatrace oracle: " + d + ": no case.json");
                return KernelMain.EXIT_BAD_INPUT;
            }
        }
        boolean allEqual = true;
        for (Path d : dirs) {
            allEqual &= Oracle.run(d, print, out);
        }
        out.flush();
        return allEqual ? KernelMain.EXIT_OK : KernelMain.EXIT_FAILED;
    }
}
