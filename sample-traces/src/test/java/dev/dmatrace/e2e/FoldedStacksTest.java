package dev.dmatrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.cli.AnalyzerMain;

/**
 * Folded stacks of a real recording weighted by call count are deterministic (the simulation is, and so is every
 * hop the agent records): {@code dmatrace report REC --weight calls} must write exactly
 * {@code sample-traces/expected/NAME.folded}. Regenerate on purpose with {@code -Ddmatrace.regenerate=true} and
 * review the diff, as the kernel's ShippedScenariosTest does for the scenarios' output.
 */
class FoldedStacksTest {
    static final String SCENARIO = "oracle-p3-exhaust-6.1";
    static final Path EXPECTED = Path.of("expected", SCENARIO + ".folded");

    @TempDir
    static Path tmp;

    @Test
    void foldedStacksByCalls_equalTheExpectedFile() throws IOException {
        Path rec = Recordings.of(SCENARIO).jfr();
        Path out = tmp.resolve("report");
        assertThat(AnalyzerMain.run("report", rec.toString(), "--out", out.toString(), "--weight", "calls"))
                .isZero();
        String folded = Files.readString(out.resolve("stacks.folded"), StandardCharsets.UTF_8);
        assertThat(folded).contains("dma-oracle;dma_alloc_attrs;dma_direct_alloc")
                .contains("cma_alloc").contains("alloc_contig_range");
        if (Boolean.getBoolean("dmatrace.regenerate")) {
            Files.createDirectories(EXPECTED.getParent());
            Files.writeString(EXPECTED, folded, StandardCharsets.UTF_8);
        }
        assertThat(EXPECTED).as("expected folded stacks (generate with -Ddmatrace.regenerate=true)").exists();
        assertThat(folded).isEqualTo(Files.readString(EXPECTED, StandardCharsets.UTF_8));
    }

    @Test
    void diffOfARecordingWithItself_hasOnlyZeroDeltas() throws IOException {
        Path rec = Recordings.of(SCENARIO).jfr();
        Path out = tmp.resolve("diff");
        assertThat(AnalyzerMain.run("diff", rec.toString(), rec.toString(), "--out", out.toString(), "--weight",
                "calls")).isZero();
        List<String> lines = Files.readAllLines(out.resolve("diff.folded"), StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty().anySatisfy(l -> assertThat(l).contains("cma_alloc"));
        assertThat(lines).allSatisfy(l -> {
            // 'stack before after', as difffolded.pl writes it
            String[] f = l.split(" ");
            assertThat(f).as(l).hasSizeGreaterThanOrEqualTo(3);
            long before = Long.parseLong(f[f.length - 2]);
            long after = Long.parseLong(f[f.length - 1]);
            assertThat(after - before).as("delta of %s", l).isZero();
            assertThat(before).as(l).isPositive();
        });
        assertThat(out.resolve("diff.html")).isNotEmptyFile();
    }

    @Test
    void diffOfARecordingWithItself_byTime_alsoHasOnlyZeroDeltas() throws IOException {
        Path rec = Recordings.of(SCENARIO).jfr();
        Path out = tmp.resolve("diff-total");
        assertThat(AnalyzerMain.run("diff", rec.toString(), rec.toString(), "--out", out.toString())).isZero();
        assertThat(Files.readAllLines(out.resolve("diff.folded"), StandardCharsets.UTF_8)).isNotEmpty()
                .allSatisfy(l -> {
                    String[] f = l.split(" ");
                    assertThat(f[f.length - 1]).as(l).isEqualTo(f[f.length - 2]);
                });
    }
}
