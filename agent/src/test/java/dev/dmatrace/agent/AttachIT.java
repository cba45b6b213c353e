package dev.dmatrace.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmatrace attach PID record=…} on a fixture already running without the agent. */
class AttachIT {

    @TempDir
    Path dir;

    @Test
    void attach_retransformsLoadedClasses_andRecordsHops() throws Exception {
        Path jfr = dir.resolve("attach.jfr");
        ForkedJvm.Running target = ForkedJvm.start(ForkedJvm.fixture(List.of("-XX:+EnableDynamicAgentLoading"), "wait"));
        BufferedReader out = new BufferedReader(new InputStreamReader(target.process().getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready"); // Cma is loaded by now? No: it loads after "go"; Sim is loaded
        ForkedJvm.Result attach = ForkedJvm.run(List.of(ForkedJvm.JAVA, "-jar", ForkedJvm.AGENT_JAR.toString(), "attach",
                Long.toString(target.process().pid()), "record=" + jfr));
        assertThat(attach.exit()).as(attach.stderr()).isZero();
        try (OutputStream in = target.process().getOutputStream()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        String rest = out.lines().reduce("", (a, b) -> a + b + "\n");
        assertThat(target.process().waitFor()).isZero();
        assertThat(rest).contains("dma_alloc_attrs 4096 -> 0x1000000");
        Recorded recorded = Recorded.read(jfr);
        assertThat(recorded.named("dmatrace.fn.dma_alloc_attrs")).hasSize(4);
        assertThat(recorded.named("dmatrace.fn.__rmqueue_smallest")).allSatisfy(e -> assertThat(e.getInt("depth")).isEqualTo(2));
    }

    @Test
    void attach_withoutPid_printsUsage() throws Exception {
        ForkedJvm.Result r = ForkedJvm.run(List.of(ForkedJvm.JAVA, "-jar", ForkedJvm.AGENT_JAR.toString(), "attach"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("usage: dmatrace attach PID");
    }
}
