package dev.dmatrace.kernel.cli;

import dev.dmatrace.kernel.sim.ScenarioException;
import dev.dmatrace.kernel.sim.Scenarios;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code scenarios}: the built-in and shipped scenarios, one line each. */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = "List the built-in scenario and the shipped ones (sample-traces/scenarios) with what each shows.")
final class ScenariosCmd implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ScenarioException {
        PrintWriter out = spec.commandLine().getOut();
        List<String[]> all = Scenarios.list();
        int w = all.stream().mapToInt(a -> a[0].length()).max().orElse(0);
        for (String[] a : all) {
            out.printf("%-" + w + "s  %s%n", a[0], a[1]);
        }
        return KernelMain.EXIT_OK;
    }
}
