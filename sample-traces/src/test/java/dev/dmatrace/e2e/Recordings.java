package dev.dmatrace.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.RecordingAnalysis;

/**
 * Real recordings of scenarios, made once per test JVM and shared by every end-to-end test class:
 * {@code java -javaagent:dmatrace-agent.jar -jar dmatrace-kernel.jar sim SCENARIO --record FILE} in a forked JVM,
 * exactly as {@code dmatrace run} forks it. Recordings and the simulator's output stay under
 * {@code target/e2e-recordings} for a person to look at after a failure.
 */
final class Recordings {
    static final Path KERNEL_JAR = Path.of(System.getProperty("dmatrace.kernel.jar"));
    static final Path AGENT_JAR = Path.of(System.getProperty("dmatrace.agent.jar"));
    static final Path SCENARIOS = Path.of(System.getProperty("dmatrace.scenario.dir", "scenarios"));
    static final Path DIR = Path.of("target", "e2e-recordings");

    private static final Map<String, Recording> RECORDINGS = new HashMap<>();
    private static final Map<String, RecordingAnalysis> ANALYSES = new HashMap<>();
    private static final Map<String, Path> RUNS = new HashMap<>();

    private Recordings() {}

    /** One simulation with the agent: the recording, what {@code sim} printed, its exit code. */
    record Recording(String name, Path jfr, String stdout, int exitCode) {}

    /** The shipped scenario file {@code sample-traces/scenarios/NAME.yaml}. */
    static Path scenario(String name) {
        return SCENARIOS.resolve(name + ".yaml").toAbsolutePath();
    }

    /** The recording of a shipped scenario, made on first use. */
    static synchronized Recording of(String name) {
        return RECORDINGS.computeIfAbsent(name, n -> {
            try {
                Files.createDirectories(DIR);
                Path jfr = DIR.resolve(n + ".jfr").toAbsolutePath();
                Files.deleteIfExists(jfr);
                Forked run = java(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-javaagent:" + AGENT_JAR,
                        "-jar", KERNEL_JAR.toString(), "sim", scenario(n).toString(), "--record=" + jfr));
                Files.writeString(DIR.resolve(n + ".out"), run.stdout(), StandardCharsets.UTF_8);
                if (!Files.isRegularFile(jfr)) {
                    throw new IllegalStateException("sim " + n + " (exit " + run.exitCode() + ") left no recording: "
                            + run.stderr());
                }
                return new Recording(n, jfr, run.stdout(), run.exitCode());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The analysis of a shipped scenario's recording, through the analyzer's public entry point. */
    static synchronized RecordingAnalysis analysis(String name) {
        Recording r = of(name);
        return ANALYSES.computeIfAbsent(name, n -> Analyzer.analyze(r.jfr(), bytes -> {}));
    }

    /**
     * {@code dmatrace run NAME.yaml --seed 1 --weight calls --out target/e2e-runs/NAME}, in process (the
     * simulation itself is forked by the command), made on first use and shared.
     */
    static synchronized Path run(String name) {
        return RUNS.computeIfAbsent(name, n -> {
            Path out = Path.of("target", "e2e-runs", n).toAbsolutePath();
            int rc = runCommand(n, out);
            if (rc != 0) {
                throw new IllegalStateException("dmatrace run " + n + " exited with " + rc);
            }
            return out;
        });
    }

    /**
     * One {@code dmatrace run} of a shipped scenario into {@code out}; its exit code. What it prints (the
     * simulator's table, the summary) goes to {@code out/../NAME.stdout}, not into the test log.
     */
    static synchronized int runCommand(String name, Path out) {
        java.io.PrintStream stdout = System.out;
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (java.io.PrintStream log = new java.io.PrintStream(Files.newOutputStream(
                out.toAbsolutePath().resolveSibling(out.getFileName() + ".stdout")), true, StandardCharsets.UTF_8)) {
            System.setOut(log);
            return dev.dmatrace.analyzer.cli.AnalyzerMain.run("run", scenario(name).toString(), "--seed", "1",
                    "--weight", "calls", "--out", out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            System.setOut(stdout);
        }
    }

    /** A finished forked JVM. */
    record Forked(int exitCode, String stdout, String stderr) {}

    /** {@code java ARGS} with this JVM's java, waited for (at most 3 minutes). */
    static Forked java(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(args);
        Files.createDirectories(DIR);
        Path out = Files.createTempFile(DIR, "stdout", ".txt");
        Path err = Files.createTempFile(DIR, "stderr", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("no exit within 3 minutes: " + cmd);
            }
            return new Forked(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
