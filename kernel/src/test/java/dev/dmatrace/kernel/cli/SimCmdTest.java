package dev.dmatrace.kernel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sim}: JSON files, --profile, --trace, and what an unmet expectation does to the exit code. */
class SimCmdTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return KernelMain.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    private Path json(String expect) throws IOException {
        return Files.writeString(dir.resolve("cam.json"), """
                {"description": "one CMA buffer",
                 "board": {"base": "vexpress-arm", "profile": "5.10", "cmdline": "cma=16M"},
                 "devices": [{"name": "cam", "coherent_dma_mask": 32}],
                 "workload": [{"alloc": {"device": "cam", "size": "1M", "expect": "%s"}}]}
                """.formatted(expect));
    }

    @Test
    void json_profileOverride_andTraceInTracefsFormat() throws IOException {
        Path trace = dir.resolve("trace.txt");
        assertThat(run("sim", json("ok").toString(), "--profile", "4.4", "--trace", trace.toString())).isZero();
        assertThat(out.toString()).contains("kernel 4.4", "CMA cma0", "result: as expected");
        assertThat(Files.readAllLines(trace)).anyMatch(l -> l.matches(" *sim-100 +\\[000\\] \\.{4} .*: cma_alloc: .*"));
        assertThat(err.toString()).contains("ms of wall time");
    }

    @Test
    void unmetExpectation_exit1_andMarked() throws IOException {
        assertThat(run("sim", json("fail").toString())).isEqualTo(1);
        assertThat(out.toString()).contains("ok UNEXPECTED (expected failure)", "result: FAILED: 1 operation(s)");
    }

    @Test
    void badProfile_exit2() throws IOException {
        assertThat(run("sim", json("ok").toString(), "--profile", "3.18")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("dmatrace: unknown profile '3.18' (4.4, 5.10, 6.1, 6.12)"
                + System.lineSeparator());
    }
}
