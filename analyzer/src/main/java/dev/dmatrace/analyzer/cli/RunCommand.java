package dev.dmatrace.analyzer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.dmatrace.analyzer.render.flame.Weight;

/**
 * {@code dmatrace run}: simulates a scenario in a forked JVM with the agent attached, then analyses the recording
 * it leaves and writes the report beside it. The simulator and the agent are found as jars (the recording stays
 * the only contract): {@code -Ddmatrace.kernel.jar} and {@code -Ddmatrace.agent.jar}, else the repository layout
 * around this jar.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a scenario (default: the embedded one) on the simulated kernel with the JFR agent, then "
                + "writes into DIR: recording.jfr, outcome.txt (the simulator's output), summary.txt, analysis.json, "
                + "report.html, flame.html, stacks.folded, speedscope.json and trace.json."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:the run failed its own expectations", "2:bad input"})
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "SCENARIO",
            description = "a scenario file (YAML or JSON) or a shipped scenario's name; default: the built-in one")
    String scenario;

    @Option(names = "--seed", paramLabel = "N", description = "seed of the simulation (default: the scenario's)")
    Long seed;

    @Option(names = "--profile", paramLabel = "P", description = "kernel profile instead of the scenario's: 4.4, 5.10, 6.1, 6.12")
    String profile;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: out/NAME)")
    Path out;

    @Option(names = "--record-boot", description = "also record the boot (millions of hops: memmap init, memblock_free_all)")
    boolean recordBoot;

    @Option(names = "--weight", paramLabel = "WEIGHT", defaultValue = "total",
            description = "what stacks.folded counts: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Weight weight;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path kernelJar = jar("dmatrace.kernel.jar", "kernel", "dmatrace-kernel.jar");
        Path agentJar = jar("dmatrace.agent.jar", "agent", "dmatrace-agent.jar");
        if (kernelJar == null || agentJar == null) {
            return AnalyzerMain.BAD_INPUT;
        }
        Path dir = out != null ? out : Path.of("out", name(scenario));
        Files.createDirectories(dir);
        Path recording = dir.resolve("recording.jfr");
        Files.deleteIfExists(recording);
        int rc = simulate(kernelJar, agentJar, recording, dir.resolve("outcome.txt"));
        if (rc == AnalyzerMain.BAD_INPUT || !Files.exists(recording)) {
            if (rc != AnalyzerMain.BAD_INPUT) {
                System.err.println("dmatrace: the simulation (exit " + rc + ") left no recording in " + recording);
            }
            return AnalyzerMain.BAD_INPUT;
        }
        PrintWriter stdout = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        stdout.println();
        int reportRc = ReportCommand.write(recording, dir, weight, stdout);
        stdout.printf("%nwritten to %s: recording.jfr outcome.txt summary.txt analysis.json report.html flame.html "
                + "stacks.folded speedscope.json trace.json%n", dir);
        stdout.flush();
        return reportRc != AnalyzerMain.OK ? reportRc : rc;
    }

    /** The forked simulation; its output goes to the terminal and to {@code outcome}. Returns its exit code. */
    private int simulate(Path kernelJar, Path agentJar, Path recording, Path outcome)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a short run: C1 and the serial collector start fastest, and the agent's hop code is hot at once
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-javaagent:" + agentJar);
        String shipped = System.getProperty("dmatrace.scenarios");
        if (shipped != null) {
            cmd.add("-Ddmatrace.scenarios=" + shipped);
        }
        cmd.add("-jar");
        cmd.add(kernelJar.toString());
        cmd.add("sim");
        if (scenario != null) {
            cmd.add(scenario);
        }
        if (seed != null) {
            cmd.add("--seed=" + seed);
        }
        if (profile != null) {
            cmd.add("--profile=" + profile);
        }
        cmd.add("--record=" + recording);
        if (recordBoot) {
            cmd.add("--record-boot");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream in = p.getInputStream(); OutputStream file = Files.newOutputStream(outcome)) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                file.write(buf, 0, n);
                System.out.write(buf, 0, n);
            }
        }
        System.out.flush();
        return p.waitFor();
    }

    private static String name(String scenario) {
        if (scenario == null) {
            return "default";
        }
        String file = Path.of(scenario).getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** A jar named by a system property, else {@code ../MODULE/target/FILE} from this jar's own directory. */
    private static Path jar(String property, String module, String file) {
        String given = System.getProperty(property);
        Path path;
        if (given != null) {
            path = Path.of(given);
        } else {
            try {
                Path self = Path.of(RunCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                path = self.getParent().getParent().getParent().resolve(module).resolve("target").resolve(file);
            } catch (URISyntaxException | NullPointerException e) {
                path = Path.of(module, "target", file);
            }
        }
        if (!Files.isRegularFile(path)) {
            System.err.println("dmatrace: cannot find " + path + " (build with mvn -B -DskipTests package, or set -D"
                    + property + ")");
            return null;
        }
        return path;
    }
}
