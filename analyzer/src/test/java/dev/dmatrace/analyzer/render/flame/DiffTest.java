package dev.dmatrace.analyzer.render.flame;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.render.report.RecordingViews;
import dev.dmatrace.analyzer.testing.MixedRecording;
import dev.dmatrace.analyzer.testing.Scenarios;
import dev.dmatrace.analyzer.testing.TestRecording;

/** Differential flame graphs: a recording against itself changes nothing; a new path is marked new. */
class DiffTest {
    @TempDir
    static Path dir;

    static Frame mixed;
    static Frame mixedAgain;
    static Frame quiet;

    @BeforeAll
    static void record() throws IOException {
        Path rec = MixedRecording.write(dir.resolve("mixed.jfr"));
        mixed = RecordingViews.read(rec, b -> { }).frames().root();
        mixedAgain = RecordingViews.read(rec, b -> { }).frames().root();
        Path q = dir.resolve("quiet.jfr");
        try (TestRecording r = new TestRecording()) {
            r.schema(1, "test");
            new Scenarios(r).cmaAlloc("vpu", 1 << 20, 0, 0x10000);
            r.dump(q);
        }
        quiet = RecordingViews.read(q, b -> { }).frames().root();
    }

    static String diff(Frame a, Frame b, Weight w) {
        StringWriter s = new StringWriter();
        DiffFolded.write(a, b, w, new PrintWriter(s));
        return s.toString();
    }

    @Test
    void recordingAgainstItself_isAllZero() {
        for (Weight w : Weight.values()) {
            assertThat(diff(mixed, mixedAgain, w).lines()).as(w.name()).isNotEmpty().allMatch(l -> {
                String[] p = l.split(" ");
                return p[p.length - 1].equals(p[p.length - 2]);
            });
        }
        FlameData d = FlameData.diff("self", mixed, mixedAgain);
        for (int i = 0; i < d.frames().length / FlameData.FIELDS; i++) {
            for (int k = 0; k < FlameData.BASELINE_FIELDS; k++) {
                assertThat(d.baseline()[i * FlameData.BASELINE_FIELDS + k]).isEqualTo(d.frames()[i * FlameData.FIELDS + 4 + k]);
            }
        }
    }

    @Test
    void newPaths_areMarkedNew_andVanishedOnes_countZeroAfter() {
        assertThat(diff(quiet, mixed, Weight.CALLS)).contains("dsp;dma_alloc_coherent_[fallback] 0 1\n")
                .contains("vpu;dma_alloc_coherent 1 2\n");
        assertThat(diff(mixed, quiet, Weight.CALLS)).contains("dsp;dma_alloc_coherent_[fallback] 1 0\n");
        FlameData d = FlameData.diff("grew", quiet, mixed);
        int newFrames = 0;
        for (int i = 0; i < d.frames().length / FlameData.FIELDS; i++) {
            String label = d.strings().get((int) d.frames()[i * FlameData.FIELDS + 1]);
            boolean isNew = d.baseline()[i * FlameData.BASELINE_FIELDS] < 0;
            if (label.equals("dsp") || label.equals("gpu")) {
                assertThat(isNew).as(label).isTrue();
            }
            if (label.equals("vpu") || label.equals("all")) {
                assertThat(isNew).as(label).isFalse();
            }
            newFrames += isNew ? 1 : 0;
        }
        assertThat(newFrames).isPositive();
    }
}
