package dev.dmatrace.analyzer.render.flame;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.render.report.RecordingViews;
import dev.dmatrace.analyzer.testing.MixedRecording;

/** Collapsed stacks of a recording: the frames of the hop trees, annotated with the findings' outcomes. */
class FoldedTest {
    @TempDir
    static Path dir;

    static Frame root;

    @BeforeAll
    static void record() throws IOException {
        root = RecordingViews.read(MixedRecording.write(dir.resolve("mixed.jfr")), b -> { }).frames().root();
    }

    static String folded(Weight w) {
        StringWriter s = new StringWriter();
        Folded.write(root, w, new PrintWriter(s));
        return s.toString();
    }

    @Test
    void calls_equalTheExpectedFile() throws IOException {
        try (InputStream in = FoldedTest.class.getResourceAsStream("mixed.calls.folded")) {
            assertThat(folded(Weight.CALLS)).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyLine_isFramesSpaceCount_withoutSeparatorsInNames() {
        for (Weight w : Weight.values()) {
            assertThat(folded(w).lines()).as(w.name()).isNotEmpty()
                    .allMatch(l -> l.matches("[^;\\n]+(;[^;\\n]+)* [1-9][0-9]*"));
        }
    }

    @Test
    void total_linesSumToTheRootsTime_andSelfReversesTheStacks() {
        long sum = folded(Weight.TOTAL).lines().mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
        assertThat(sum).isPositive().isLessThanOrEqualTo(root.totalNanos());
        assertThat(folded(Weight.SELF).lines()).allMatch(l -> !l.startsWith("vpu;") && !l.startsWith("dsp;"));
        assertThat(folded(Weight.SELF)).contains("cma_alloc_[busy];dma_alloc_contiguous");
    }

    @Test
    void bytes_giveEachAllocationItsSize() {
        long vpu = folded(Weight.BYTES).lines().filter(l -> l.startsWith("vpu;"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        assertThat(vpu).isEqualTo((1 << 20) + (1 << 16) + (1 << 20)); // two allocations and the free
    }
}
