package dev.dmatrace.analyzer.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.Analyzer;
import dev.dmatrace.analyzer.testing.Hops;
import dev.dmatrace.analyzer.testing.Scenarios;
import dev.dmatrace.analyzer.testing.TestRecording;
import dev.dmatrace.analyzer.tree.CallTree;

/** Every kind of damaged input gives its own clear problem, never an exception, and loses only what is damaged. */
class DamagedInputTest {
    @TempDir
    Path dir;

    /** Three chunks of five allocation trees each. */
    private Path threeChunks() throws Exception {
        Path f = dir.resolve("three.jfr");
        try (TestRecording rec = new TestRecording()) {
            Scenarios s = new Scenarios(rec);
            rec.schema(1, "test");
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 5; i++) {
                    s.cmaAlloc("dev" + c, 1 << 20, 0, 0x1000L * (c * 5 + i));
                }
                rec.newChunk();
            }
            rec.dump(f);
        }
        return f;
    }

    private static List<Problem.Kind> kinds(ReadSummary s) {
        return s.problems().stream().map(Problem::kind).toList();
    }

    @Test
    void emptyFile_isReportedAsEmpty() throws Exception {
        Path f = Files.createFile(dir.resolve("empty.jfr"));
        ReadSummary s = Hops.read(f).summary();
        assertThat(kinds(s)).containsExactly(Problem.Kind.EMPTY);
        assertThat(s.fatal()).isTrue();
    }

    @Test
    void nonJfrFile_isReportedAsNotJfr() throws Exception {
        Path f = Files.writeString(dir.resolve("notes.jfr"), "this is not a flight recording\n".repeat(50));
        ReadSummary s = Hops.read(f).summary();
        assertThat(kinds(s)).containsExactly(Problem.Kind.NOT_JFR);
        assertThat(s.problems().get(0).message()).contains("not a JFR recording");
    }

    @Test
    void missingFile_isReportedAsNotFound() {
        ReadSummary s = Hops.read(dir.resolve("nope.jfr")).summary();
        assertThat(kinds(s)).containsExactly(Problem.Kind.NOT_FOUND);
    }

    @Test
    void recordingWithoutDmatraceEvents_saysSo() throws Exception {
        Path f = dir.resolve("plain.jfr");
        try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
            r.enable("jdk.ThreadSleep").withThreshold(java.time.Duration.ZERO);
            r.start();
            Thread.sleep(2);
            r.stop();
            r.dump(f);
        }
        ReadSummary s = Hops.read(f).summary();
        assertThat(kinds(s)).containsExactly(Problem.Kind.NO_DMATRACE_EVENTS);
    }

    @Test
    void newerSchema_isRefusedWithAClearMessage() throws Exception {
        Path f = dir.resolve("future.jfr");
        try (TestRecording rec = new TestRecording()) {
            rec.schema(2, "9.9");
            new Scenarios(rec).cmaAlloc("dev", 4096 * 4, 0, 0x100);
            rec.dump(f);
        }
        ReadSummary s = Hops.read(f).summary();
        assertThat(kinds(s)).containsExactly(Problem.Kind.SCHEMA_TOO_NEW);
        assertThat(s.problems().get(0).message()).contains("schema 2").contains("understands schema 1");
        assertThat(s.fatal()).isTrue();
    }

    @Test
    void hopEventsWithoutTheContractsIdFields_areSkippedAndCounted() throws Exception {
        Path f = dir.resolve("malformed.jfr");
        try (TestRecording rec = new TestRecording()) {
            jdk.jfr.Event e = jdk.jfr.EventFactory.create(
                    List.of(new jdk.jfr.AnnotationElement(jdk.jfr.Name.class, "dmatrace.fn.cma_alloc")),
                    List.of(new jdk.jfr.ValueDescriptor(long.class, "count"))).newEvent();
            e.set(0, 16L);
            e.commit();
            new Scenarios(rec).cmaAlloc("dev", 4096 * 4, 0, 0x100);
            rec.dump(f);
        }
        Hops.All all = Hops.read(f);
        assertThat(kinds(all.summary())).containsExactly(Problem.Kind.MALFORMED_EVENTS);
        assertThat(all.summary().fatal()).isFalse();
        assertThat(all.hops()).isNotEmpty().allMatch(h -> h.hopId() > 0);
    }

    @Test
    void badHeaderInTheMiddleChunk_losesOnlyThatChunk() throws Exception {
        Path f = threeChunks();
        List<ChunkScanner.Chunk> chunks;
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            chunks = ChunkScanner.scan(ch).chunks();
        }
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
        int all = countTrees(f);
        // the middle chunk holding the most trees loses its magic
        ChunkScanner.Chunk victim = null;
        int victimTrees = 0;
        byte[] bytes = Files.readAllBytes(f);
        for (ChunkScanner.Chunk c : chunks.subList(1, chunks.size() - 1)) {
            Path alone = Files.write(dir.resolve("alone.jfr"),
                    java.util.Arrays.copyOfRange(bytes, (int) c.offset(), (int) (c.offset() + c.size())));
            int n = countTrees(alone);
            if (n > victimTrees) {
                victim = c;
                victimTrees = n;
            }
        }
        assertThat(victimTrees).isPositive();
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(victim.offset());
            raf.writeBytes("XXXX");
        }
        List<CallTree> trees = new ArrayList<>();
        Analyzer.TreeStream s = Analyzer.trees(f, trees::add, b -> { });
        assertThat(kinds(s.read())).contains(Problem.Kind.DAMAGED_CHUNK);
        assertThat(s.read().chunksDamaged()).as(s.read().problems().toString()).isEqualTo(1);
        assertThat(s.read().bytesLost()).isEqualTo(victim.size());
        assertThat(s.read().fatal()).isFalse();
        assertThat(trees.stream().filter(CallTree::complete).count()).isEqualTo(all - victimTrees);
    }

    @Test
    void chunkNeverFinished_isReportedAsTruncated() throws Exception {
        Path f = threeChunks();
        long size = Files.size(f);
        long lastOffset;
        try (var ch = java.nio.channels.FileChannel.open(f)) {
            List<ChunkScanner.Chunk> chunks = ChunkScanner.scan(ch).chunks();
            lastOffset = chunks.get(chunks.size() - 1).offset();
        }
        // a chunk still being written has its constant-pool and metadata offsets at 0
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(lastOffset + 16);
            raf.writeLong(0);
            raf.writeLong(0);
        }
        ReadSummary s = Hops.read(f).summary();
        assertThat(kinds(s)).contains(Problem.Kind.TRUNCATED);
        assertThat(s.problems().get(0).message()).contains("never finished");
        assertThat(s.bytesLost()).isEqualTo(size - lastOffset);
    }

    private static int countTrees(Path f) {
        int[] n = {0};
        Analyzer.trees(f, t -> {
            if (t.complete()) {
                n[0]++;
            }
        }, b -> { });
        return n[0];
    }
}
