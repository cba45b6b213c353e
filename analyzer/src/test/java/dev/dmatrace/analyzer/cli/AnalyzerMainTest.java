package dev.dmatrace.analyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.testing.Scenarios;
import dev.dmatrace.analyzer.testing.TestRecording;

/** The command line's exit codes (0 ok, 1 finding at or above --fail-on, 2 bad input) and outputs. */
class AnalyzerMainTest {
    @TempDir
    Path dir;

    private Path clean;
    private Path failing;
    private long failingRoot;
    private String out;
    private String err;

    @BeforeEach
    void recordings() throws Exception {
        clean = dir.resolve("clean.jfr");
        try (TestRecording rec = new TestRecording()) {
            rec.schema(1, "test");
            Scenarios s = new Scenarios(rec);
            s.free("vpu", 1 << 20, s.cmaAlloc("vpu", 1 << 20, 0, 0x10000));
            rec.dump(clean);
        }
        failing = dir.resolve("failing.jfr");
        try (TestRecording rec = new TestRecording()) {
            rec.schema(1, "test");
            Scenarios s = new Scenarios(rec);
            s.cmaFailsThenBuddy("dsp", 8 << 20, 0, false, -1);
            rec.dump(failing);
        }
        run("tree", failing.toString());
        failingRoot = Long.parseLong(out.lines().skip(1).findFirst().orElseThrow().split("\\s+")[0]);
    }

    private int run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return AnalyzerMain.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            out = o.toString(StandardCharsets.UTF_8);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void help_isAvailableEverywhere_andExitsZero() {
        for (String[] args : new String[][] {{"--help"}, {"analyze", "--help"}, {"tree", "--help"},
            {"trace", "--help"}}) {
            assertThat(run(args)).as(String.join(" ", args)).isZero();
            assertThat(out).contains("Usage:");
        }
        assertThat(out).contains("Exit codes:");
    }

    @Test
    void analyze_cleanRecording_exitsZero_evenWithFailOnInfo() {
        assertThat(run("analyze", "--fail-on", "info", clean.toString())).isZero();
        assertThat(out).contains("allocations: 1 (0 failed)").contains("CMA area reserved").contains("findings: none");
    }

    @Test
    void analyze_failedAllocation_exitsOneAtOrBelowError_andZeroWithoutFailOn() {
        assertThat(run("analyze", "--fail-on", "error", failing.toString())).isEqualTo(1);
        assertThat(out).contains("ALLOC_FAILED").contains("CMA_NO_SPACE").contains("cma_alloc() {");
        assertThat(run("analyze", "--fail-on", "WARNING", failing.toString())).isEqualTo(1);
        assertThat(run("analyze", failing.toString())).isZero();
    }

    @Test
    void analyze_badInputs_exitTwo_withOneLinePerProblem_andNoStackTrace() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jfr"));
        Path text = Files.writeString(dir.resolve("text.jfr"), "hello");
        assertThat(run("analyze", empty.toString(), text.toString(), clean.toString())).isEqualTo(2);
        assertThat(err).contains("empty.jfr: the file is empty").contains("text.jfr: not a JFR recording")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out).contains("allocations: 1");
        assertThat(run("analyze", dir.resolve("missing.jfr").toString())).isEqualTo(2);
        assertThat(err).contains("no such file");
        assertThat(run("analyze", "--fail-on", "fatal", clean.toString())).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
    }

    @Test
    void analyze_directoryOrGlob_readsEveryRecording() {
        assertThat(run("analyze", dir.toString())).isZero();
        assertThat(out).contains("clean.jfr").contains("failing.jfr");
        assertThat(run("analyze", dir.resolve("fail*.jfr").toString())).isZero();
        assertThat(out).contains("failing.jfr").doesNotContain("clean.jfr");
    }

    @Test
    void analyze_json_writesTheDocumentedSchema() throws Exception {
        Path json = dir.resolve("report.json");
        assertThat(run("analyze", "--json", json.toString(), failing.toString())).isZero();
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("reportVersion").asInt()).isEqualTo(1);
        JsonNode rec = root.get("recordings").get(0);
        assertThat(rec.get("recording").get("path").asText()).endsWith("failing.jfr");
        assertThat(rec.get("allocations").asLong()).isEqualTo(1);
        assertThat(rec.get("paths").get("failed").asLong()).isEqualTo(1);
        JsonNode f = rec.get("findings").get(0);
        assertThat(f.get("id").asText()).isEqualTo("ALLOC_FAILED");
        assertThat(f.get("severity").asText()).isEqualTo("ERROR");
        assertThat(f.get("occurrences").get(0).get("evidence").get("device").asText()).isEqualTo("dsp");
        assertThat(f.has("exampleTree")).isFalse();
        assertThat(rec.get("worst").get(0).get("path").asText()).isEqualTo("FAILED");
    }

    @Test
    void tree_byRoot_byWorst_andUnknownRoot() {
        assertThat(run("tree", "--root", Long.toString(failingRoot), failing.toString())).isZero();
        assertThat(out).startsWith("# tracer: function_graph").contains("dma_alloc_coherent() {")
                .contains("/* cma_alloc_start: name=reserved count=2048 align=8 */");
        assertThat(run("tree", "--worst", "1", failing.toString())).isZero();
        assertThat(out).contains("dma_alloc_coherent() {");
        assertThat(run("tree", "--root", "999999999", failing.toString())).isEqualTo(2);
        assertThat(err).contains("no call tree has root hop 999999999");
        assertThat(run("tree", "--root", "1", "--worst", "2", failing.toString())).isEqualTo(2);
    }

    @Test
    void trace_printsEveryTree_andBadInputExitsTwo() throws Exception {
        assertThat(run("trace", clean.toString())).isZero();
        assertThat(out).startsWith("# tracer: function_graph").contains("dma_alloc_coherent() {")
                .contains("dma_free_coherent() {");
        Path text = Files.writeString(dir.resolve("x.jfr"), "nope");
        assertThat(run("trace", text.toString())).isEqualTo(2);
    }
}
