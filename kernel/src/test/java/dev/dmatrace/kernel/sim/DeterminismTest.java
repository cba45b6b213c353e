package dev.dmatrace.kernel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.cli.KernelMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Same scenario and seed, same bytes: in one JVM and across JVM restarts, with CPU threads interleaved. */
class DeterminismTest {

    private static final String SCENARIO = "../sample-traces/scenarios/atomic-irq.yaml";

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        assertThat(KernelMain.run(args, new PrintWriter(out), new PrintWriter(new StringWriter()))).isZero();
        return out.toString();
    }

    @Test
    void sameSeed_sameOutput_inOneJvm() {
        String first = run("sim", SCENARIO, "--seed", "42");
        assertThat(run("sim", SCENARIO, "--seed", "42")).isEqualTo(first);
        assertThat(first).contains("irq/45-uart", "kworker/0:1");
    }

    @Test
    void defaultScenario_sameOutput_inOneJvm() {
        assertThat(run("sim")).isEqualTo(run("sim"));
    }

    @Test
    void sameSeed_sameOutput_acrossJvmRestarts() throws Exception {
        String first = fork("sim", SCENARIO, "--seed", "7");
        assertThat(fork("sim", SCENARIO, "--seed", "7")).isEqualTo(first).isEqualTo(run("sim", SCENARIO, "--seed", "7"));
    }

    private static String fork(String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                KernelMain.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }
}
