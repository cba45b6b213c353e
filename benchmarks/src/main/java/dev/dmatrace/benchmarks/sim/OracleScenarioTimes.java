package dev.dmatrace.benchmarks.sim;

import dev.dmatrace.kernel.sim.Scenario;
import dev.dmatrace.kernel.sim.ScenarioReader;
import dev.dmatrace.kernel.sim.Scenarios;
import dev.dmatrace.kernel.sim.Simulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much faster than booting the case in qemu the simulator answers an oracle case's question, and the
 * built-in scenario's simulated time. Not JMH: one run is a boot plus a workload, and the question is the time a
 * person waits. Three figures per case, best of the rounds:
 * <ul>
 * <li>in the JVM: {@code Simulation.run} of the case's scenario after warm-up rounds;</li>
 * <li>whole process: {@code ./dmatrace sim SCENARIO}, the front door (C1, serial GC, a class-data archive
 * written by the first run), JVM start included;</li>
 * <li>qemu: the wall time per boot that ../shared/oracle/README.md gives for that kind of case on a 2-core host
 * (the lower end of each range, which favours qemu).</li>
 * </ul>
 * Run from the repository root: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.dmatrace.benchmarks.sim.OracleScenarioTimes [ROUNDS]}.
 */
public final class OracleScenarioTimes {

    /** Seconds per qemu boot (oracle README: 3.5–7 s plain, 5.5–9 s with a fill, 7.5–8.6 s held pages on 6.1, ~10.4 s on 6.12). */
    private static final Map<String, Double> QEMU_SECONDS = Map.of(
            "oracle-p1-basic-6.1", 3.5, "oracle-p2-200M-6.1", 3.5, "oracle-p3-exhaust-6.1", 3.5,
            "oracle-p4-fill-6.1", 5.5, "oracle-p5-small-6.12", 3.5, "oracle-p6-200M-6.12", 3.5,
            "oracle-p7-pinned-6.1", 7.5, "oracle-p8-pinned-6.12", 10.4);

    private static final Pattern SIMULATED = Pattern.compile("operations, ([0-9.]+) us of simulated time");

    private OracleScenarioTimes() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Path.of("sample-traces", "scenarios");
        Path kernelJar = Path.of("kernel", "target", "dmatrace-kernel.jar");
        if (!Files.isDirectory(dir) || !Files.isRegularFile(kernelJar)) {
            throw new IllegalStateException("run from the repository root after mvn -DskipTests package");
        }
        System.out.printf("%-24s %10s %12s %12s %9s %9s %12s%n", "scenario", "qemu s", "in-JVM ms", "process ms",
                "in-JVM ×", "process ×", "simulated us");
        List<String> names = new ArrayList<>(QEMU_SECONDS.keySet());
        names.sort(null);
        for (String name : names) {
            Scenario s = ScenarioReader.read(dir.resolve(name + ".yaml"));
            double inJvm = inJvmMillis(s, rounds);
            double process = processMillis(dir.resolve(name + ".yaml"), Math.max(3, rounds / 2));
            double qemu = QEMU_SECONDS.get(name) * 1000;
            System.out.printf("%-24s %10.1f %12.2f %12.0f %8.0f× %8.1f× %12s%n", name, qemu / 1000, inJvm, process,
                    qemu / inJvm, qemu / process, simulated(s));
        }
        Scenario builtIn = Scenarios.builtIn();
        System.out.printf("%-24s %10s %12.2f %12s %9s %9s %12s%n", "default (built-in)", "-",
                inJvmMillis(builtIn, rounds), "-", "-", "-", simulated(builtIn));
    }

    private static double inJvmMillis(Scenario s, int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            Simulation.run(s, null, null, false);
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            Simulation.run(s, null, null, false);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    /** {@code ./dmatrace sim}: its first run (which writes the class-data archive) is not counted. */
    private static double processMillis(Path scenario, int rounds) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = -1; i < rounds; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("./dmatrace", "sim", scenario.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            int rc = p.waitFor();
            if (rc > 1) {
                throw new IllegalStateException(scenario + ": exit " + rc);
            }
            if (i >= 0) {
                best = Math.min(best, (System.nanoTime() - t0) / 1e6);
            }
        }
        return best;
    }

    private static String simulated(Scenario s) throws Exception {
        Matcher m = SIMULATED.matcher(Simulation.run(s, null, null, false).output());
        return m.find() ? m.group(1) : "?";
    }
}
