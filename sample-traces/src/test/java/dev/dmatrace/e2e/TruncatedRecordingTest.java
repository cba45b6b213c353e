package dev.dmatrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.RecordingAnalysis;

/**
 * A real recording cut short, as a crashed JVM or a full disk leaves it: cut at 40+ offsets (inside the first
 * chunk's header, on and around every chunk header in the file, and evenly across the file), every cut is analysed without
 * hanging or throwing, says that it was truncated, and recovers no more complete call trees than a longer cut.
 */
class TruncatedRecordingTest {
    static final String SCENARIO = "atomic-irq";
    /** A JFR chunk header: magic, version, then the chunk's size at byte 8; 68 bytes in all. */
    static final int CHUNK_HEADER = 68;

    @TempDir
    static Path tmp;
    static byte[] whole;
    static final int MAGIC = 0x464c5200;
    /** Where each chunk ends (a cut there leaves a well-formed, shorter recording) and where headers start. */
    static final List<Long> chunkEnds = new ArrayList<>();
    static final List<Long> headers = new ArrayList<>();

    @BeforeAll
    static void record() throws IOException {
        whole = Files.readAllBytes(Recordings.of(SCENARIO).jfr());
        ByteBuffer b = ByteBuffer.wrap(whole);
        // the chunks as a reader walks them: each header gives the size of its chunk
        for (long pos = 0; pos + CHUNK_HEADER <= whole.length; ) {
            assertThat(b.getInt((int) pos)).as("chunk magic at %d", pos).isEqualTo(MAGIC);
            long size = b.getLong((int) pos + 8);
            assertThat(size).isPositive();
            pos += size;
            chunkEnds.add(pos);
        }
        // every chunk header in the file: JDK 17+ also writes one mid-file (a flushed segment) and a copy at the end
        for (int i = 0; i + 4 <= whole.length; i++) {
            if (b.getInt(i) == MAGIC) {
                headers.add((long) i);
            }
        }
    }

    @Test
    void theRecordingHasSeveralChunkHeadersToCutAround() {
        assertThat(headers).as("chunk headers").hasSizeGreaterThanOrEqualTo(2).contains(0L);
        assertThat(chunkEnds).last().isEqualTo((long) whole.length);
    }

    @Test
    void everyCut_isAnalysedWithoutHangOrException_warns_andRecoversNoMoreTreesThanALongerCut() throws IOException {
        TreeSet<Long> cuts = new TreeSet<>();
        for (long inHeader : new long[] {1, 3, 4, 8, 16, 40, 67, 68, 69}) {
            cuts.add(inHeader);
        }
        for (long b : headers) {
            for (long d : new long[] {-1, 0, 1, 8, 40, CHUNK_HEADER + 1}) {
                cuts.add(b + d);
            }
        }
        for (int i = 1; i < 30; i++) {
            cuts.add(whole.length * i / 30L);
        }
        cuts.add(whole.length - 1L);
        cuts.removeIf(c -> c <= 0 || c >= whole.length);
        assertThat(cuts).hasSizeGreaterThanOrEqualTo(40);

        RecordingAnalysis full = analyse(whole.length);
        assertThat(full.recording().problems()).isEmpty();
        long previous = complete(full);
        assertThat(previous).isPositive();
        for (long cut : cuts.descendingSet()) {
            RecordingAnalysis a = analyse(cut);
            boolean onBoundary = chunkEnds.contains(cut);
            if (!onBoundary) {
                // a cut exactly between two chunks leaves a well-formed, shorter recording: nothing to warn about
                assertThat(a.recording().problems()).as("warning for a cut at %d of %d", cut, whole.length)
                        .isNotEmpty();
            }
            long trees = complete(a);
            assertThat(trees).as("complete trees when cut at %d (a longer cut recovered %d)", cut, previous)
                    .isLessThanOrEqualTo(previous);
            previous = trees;
        }
    }

    private static long complete(RecordingAnalysis a) {
        return a.trees() - a.unfinishedTrees();
    }

    private static RecordingAnalysis analyse(long length) throws IOException {
        Path cut = tmp.resolve("cut-" + length + ".jfr");
        Files.write(cut, java.util.Arrays.copyOf(whole, (int) length));
        try {
            return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Analyzer.analyze(cut, bytes -> {}),
                    () -> "analysis of the recording cut at " + length + " bytes hung");
        } finally {
            Files.delete(cut);
        }
    }
}
