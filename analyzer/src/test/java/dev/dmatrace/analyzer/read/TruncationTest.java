package dev.dmatrace.analyzer.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.testing.Scenarios;
import dev.dmatrace.analyzer.testing.TestRecording;

/**
 * The same recording cut at many offsets: never a hang or an exception, the bytes after the last complete chunk
 * are reported lost, and the number of complete trees recovered never goes up as the cut moves earlier.
 */
class TruncationTest {
    @TempDir
    Path dir;

    @Test
    void cutAnywhere_recoversEveryCompleteChunk_andNeverMoreAsTheCutMovesEarlier() throws Exception {
        Path full = dir.resolve("full.jfr");
        try (TestRecording rec = new TestRecording()) {
            Scenarios s = new Scenarios(rec);
            rec.schema(1, "test");
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < 6; i++) {
                    s.cmaFailsThenBuddy("dev" + i, 1 << 21, i % 3, i % 2 == 0, 0x2000L * i);
                }
                rec.newChunk();
            }
            rec.dump(full);
        }
        byte[] bytes = Files.readAllBytes(full);
        long whole = completeTrees(full);
        assertThat(whole).isEqualTo(24);

        long previous = whole;
        int cuts = 60;
        for (int k = cuts; k >= 0; k--) {
            int cut = (int) ((long) bytes.length * k / cuts);
            Path part = dir.resolve("cut.jfr");
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(bytes, 0, cut));
            }
            long trees = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> completeTrees(part));
            assertThat(trees).as("complete trees when cut at byte %d", cut).isLessThanOrEqualTo(previous);
            previous = trees;
            ReadSummary s = RecordingReader.read(part, h -> { }, b -> { });
            if (cut > 0 && cut < bytes.length) {
                assertThat(s.bytesLost()).as("bytes lost at cut %d", cut).isPositive();
                assertThat(s.problems()).isNotEmpty();
            }
        }
        assertThat(previous).isZero();
    }

    private static long completeTrees(Path f) {
        long[] n = {0};
        Analyzer.trees(f, t -> {
            if (t.complete()) {
                n[0]++;
            }
        }, b -> { });
        return n[0];
    }
}
