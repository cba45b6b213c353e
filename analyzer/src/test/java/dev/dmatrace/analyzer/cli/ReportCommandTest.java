package dev.dmatrace.analyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.testing.MixedRecording;

/** {@code dmatrace report}: the files it writes, what they hold, and one-line errors for bad input. */
class ReportCommandTest {
    /** Kept under target/ so the browser test and a person can open them after the build. */
    static final Path OUT = Path.of("target", "report-test");

    @TempDir
    static Path tmp;

    static Path rec;
    static String err;

    @BeforeAll
    static void report() throws Exception {
        rec = MixedRecording.write(tmp.resolve("mixed.jfr"));
        assertThat(run("report", rec.toString(), "--out", OUT.toString())).isZero();
    }

    static int run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return AnalyzerMain.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesEveryFile() {
        for (String f : new String[] {"report.html", "flame.html", "stacks.folded", "speedscope.json", "trace.json",
            "analysis.json"}) {
            assertThat(OUT.resolve(f)).as(f).isNotEmptyFile();
        }
    }

    @Test
    void analysisJson_isTheAnalyzersReport() throws Exception {
        JsonNode json = new ObjectMapper().readTree(OUT.resolve("analysis.json").toFile());
        assertThat(json.path("recordings").get(0).path("allocations").asLong()).isEqualTo(6);
        assertThat(json.path("recordings").get(0).path("failedAllocations").asLong()).isEqualTo(1);
    }

    @Test
    void pages_areSelfContained_andCarryRecordingStringsOnlyEscaped() throws Exception {
        for (String f : new String[] {"report.html", "flame.html"}) {
            String html = Files.readString(OUT.resolve(f));
            assertThat(html).as(f).doesNotContain(MixedRecording.MARKUP_DEVICE)
                    .contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e")
                    .doesNotContainPattern("(src|href)=\"https?:")
                    .doesNotContain("fetch(", "XMLHttpRequest", "import(");
            // the only script elements are the page's own
            assertThat(html.split("<script", -1)).as(f).hasSize(5);
        }
    }

    @Test
    void diff_writesTheGraphAndTheTwoColumnStacks() throws Exception {
        Path dir = tmp.resolve("diff");
        assertThat(run("diff", rec.toString(), rec.toString(), "--out", dir.toString())).isZero();
        assertThat(dir.resolve("diff.html")).isNotEmptyFile();
        assertThat(Files.readAllLines(dir.resolve("diff.folded"))).isNotEmpty()
                .allMatch(l -> l.matches(".+ ([0-9]+) \\1"));
    }

    @Test
    void diff_ofAMissingRecording_isOneLine_exitTwo() {
        assertThat(run("diff", rec.toString(), tmp.resolve("nope.jfr").toString(), "--out",
                tmp.resolve("y").toString())).isEqualTo(AnalyzerMain.BAD_INPUT);
        assertThat(err.lines()).hasSize(1).allMatch(l -> l.startsWith("dmatrace: "));
        assertThat(tmp.resolve("y")).doesNotExist();
    }

    @Test
    void missingRecording_isOneLine_exitTwo() {
        assertThat(run("report", tmp.resolve("nope.jfr").toString(), "--out", tmp.resolve("x").toString()))
                .isEqualTo(AnalyzerMain.BAD_INPUT);
        assertThat(err.lines()).hasSize(1).allMatch(l -> l.startsWith("dmatrace: ")).noneMatch(l -> l.contains("at "));
        assertThat(tmp.resolve("x")).doesNotExist();
    }
}
