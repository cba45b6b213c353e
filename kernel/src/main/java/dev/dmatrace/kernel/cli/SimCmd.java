package dev.dmatrace.kernel.cli;

import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.sim.Scenario;
import dev.dmatrace.kernel.sim.ScenarioException;
import dev.dmatrace.kernel.sim.ScenarioReader;
import dev.dmatrace.kernel.sim.Scenarios;
import dev.dmatrace.kernel.sim.Simulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sim [SCENARIO]}: runs a scenario in this JVM (so a -javaagent instruments it) and prints its outcome. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {"Run a scenario on the simulated kernel and print every driver operation (where the memory "
                + "came from, its DMA address, simulated time, result), the kernel log and the /proc views of its "
                + "checkpoints.",
            "Exit 0 when everything went as the scenario expects, 1 when not, 2 for a bad scenario."})
final class SimCmd implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SCENARIO",
            description = "a scenario file (YAML or JSON), or the name of a shipped one (see: scenarios); "
                    + "default: the built-in scenario")
    String scenario;

    @Option(names = "--seed", description = "seed of the run (default: the scenario's)")
    Long seed;

    @Option(names = "--profile", description = "run on this kernel version instead: 4.4, 5.10, 6.1, 6.12")
    String profile;

    @Option(names = "--trace", paramLabel = "FILE", description = "write every tracepoint as tracefs text to FILE")
    Path trace;

    @Option(names = "--record", paramLabel = "FILE.jfr",
            description = "record the workload with JFR into FILE (with the dmatrace agent attached: one event per "
                    + "kernel-function call)")
    Path record;

    @Option(names = "--record-boot", description = "with --record: record the boot as well (millions of calls)")
    boolean recordBoot;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KernelProfile p = null;
        if (profile != null) {
            p = KernelProfile.parse(profile);
            if (p == null) {
                err.println("dmatrace: unknown profile '" + profile + "' (4.4, 5.10, 6.1, 6.12)");
                return KernelMain.EXIT_BAD_INPUT;
            }
        }
        long wallStart = System.nanoTime();
        try {
            Scenario s = load();
            SimRecording rec = record == null ? null : new SimRecording(record);
            if (rec != null && recordBoot) {
                rec.start();
            }
            Simulation.Result r;
            try {
                r = Simulation.run(s, seed, p, trace != null, rec == null ? Simulation.Workload.NONE : rec);
            } finally {
                if (rec != null) {
                    rec.stop();
                }
            }
            out.print(r.output());
            out.flush();
            if (trace != null) {
                Files.write(trace, r.trace());
            }
            err.printf("dmatrace: %s ran in %d ms of wall time%n", s.name(), (System.nanoTime() - wallStart) / 1_000_000);
            return r.exitCode();
        } catch (ScenarioException e) {
            err.println("dmatrace: " + e.getMessage());
            return KernelMain.EXIT_BAD_INPUT;
        } catch (IOException e) {
            err.println("dmatrace: cannot write " + e.getMessage());
            return KernelMain.EXIT_BAD_INPUT;
        } catch (RuntimeException e) {
            err.println("dmatrace: the run failed: " + e.getMessage());
            return KernelMain.EXIT_FAILED;
        }
    }

    private Scenario load() throws ScenarioException {
        if (scenario == null) {
            return Scenarios.builtIn();
        }
        Path path = Path.of(scenario);
        if (Files.isRegularFile(path)) {
            return ScenarioReader.read(path);
        }
        if (scenario.equals(Scenarios.DEFAULT)) {
            return Scenarios.builtIn();
        }
        Path shipped = Scenarios.shippedByName(scenario);
        if (shipped == null) {
            throw new ScenarioException(scenario, 0, "", "no such file, and no shipped scenario of that name "
                    + "(see: dmatrace scenarios)");
        }
        return ScenarioReader.read(shipped);
    }
}
