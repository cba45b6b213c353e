package dev.dmatrace.analyzer.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jdk.jfr.AnnotationElement;
import jdk.jfr.Event;
import jdk.jfr.EventFactory;
import jdk.jfr.Name;
import jdk.jfr.ValueDescriptor;

import dev.dmatrace.analyzer.testing.MixedRecording;
import dev.dmatrace.analyzer.testing.Scenarios;
import dev.dmatrace.analyzer.testing.TestRecording;

/**
 * The fast decoder against {@code RecordingFile} (through {@link HopDecoder}, as before it existed): on real
 * recordings, written by this JDK and by JDK 25, every hop must come out the same, field by field, in the same
 * order, and the summary too. What it does not read goes to {@code RecordingFile} with a note.
 */
class JfrChunkDecoderTest {
    private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path dir;

    @Test
    void everyFieldTypeAndStringForm_writtenByThisJdk_decodesAsRecordingFileDoes() throws Exception {
        Path f = hopWriter(Path.of(System.getProperty("java.home")), dir.resolve("this.jfr"));
        assertSameAsRecordingFile(f, 3);
    }

    @Test
    void everyFieldTypeAndStringForm_writtenByJdk25_decodesAsRecordingFileDoes() throws Exception {
        assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "no JDK 25 at " + JDK25);
        Path f = hopWriter(JDK25, dir.resolve("jdk25.jfr"));
        assertSameAsRecordingFile(f, 3);
    }

    @Test
    void theTestScenarios_decodeAsRecordingFileDoes() throws Exception {
        assertSameAsRecordingFile(MixedRecording.write(dir.resolve("mixed.jfr")), 1);
        Path f = dir.resolve("chunks.jfr");
        try (TestRecording rec = new TestRecording()) {
            Scenarios s = new Scenarios(rec);
            rec.schema(1, "0.1.0-test");
            for (int c = 0; c < 3; c++) {
                s.cmaFailsThenBuddy("dev" + c, 1 << 21, c, c % 2 == 0, 0x2000L * c);
                rec.call("set_migratetype_isolate", int.class, "migratetype", 4).threw();
                rec.call("undo_isolate_page_range", void.class, "start_pfn", 0x1000L).exit();
                rec.newChunk();
            }
            rec.dump(f);
        }
        assertSameAsRecordingFile(f, 3);
    }

    @Test
    void aChunkVersionItDoesNotKnow_isReadWithRecordingFile_andNoted() throws Exception {
        Path f = hopWriter(Path.of(System.getProperty("java.home")), dir.resolve("v29.jfr"));
        List<Hop> before = read(f, RecordingReader.Mode.RECORDING_FILE).hops;
        List<ChunkScanner.Chunk> chunks;
        try (FileChannel ch = FileChannel.open(f)) {
            chunks = ChunkScanner.scan(ch).chunks();
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(chunks.get(1).offset() + 6);
            raf.writeShort(9); // format 2.9: RecordingFile reads any 2.x
        }
        Read fast = read(f, RecordingReader.Mode.FAST);
        assertThat(fast.summary.notes()).singleElement().asString()
                .contains("chunk at byte " + chunks.get(1).offset()).contains("RecordingFile").contains("2.9");
        assertThat(fast.summary.problems()).isEmpty();
        assertThat(fast.hops).isEqualTo(before);
    }

    @Test
    void aHopFieldThatIsNeitherPrimitiveNorString_sendsItsChunkToRecordingFile() throws Exception {
        Path f = dir.resolve("class-field.jfr");
        try (TestRecording rec = new TestRecording()) {
            new Scenarios(rec).cmaAlloc("vpu", 1 << 20, 0, 0x100);
            Event e = EventFactory.create(List.of(new AnnotationElement(Name.class, "dmatrace.fn.probe")),
                    List.of(new ValueDescriptor(long.class, "hopId"), new ValueDescriptor(long.class, "parentHopId"),
                            new ValueDescriptor(long.class, "rootHopId"), new ValueDescriptor(int.class, "depth"),
                            new ValueDescriptor(Class.class, "klass"))).newEvent();
            e.set(0, 999_999L);
            e.set(1, 0L);
            e.set(2, 999_999L);
            e.set(3, 0);
            e.set(4, String.class);
            e.commit();
            rec.dump(f);
        }
        Read fast = read(f, RecordingReader.Mode.FAST);
        Read slow = read(f, RecordingReader.Mode.RECORDING_FILE);
        assertThat(fast.summary.notes()).singleElement().asString().contains("klass");
        assertThat(fast.hops).hasSize(slow.hops.size()).isNotEmpty();
        // a RecordedClass has no equals: compare what it prints
        assertThat(fast.hops.toString()).isEqualTo(slow.hops.toString());
    }

    @Test
    void dataLossEvents_areCountedAsRecordingFileCountsThem() throws Exception {
        Path f = dir.resolve("loss.jfr");
        try (TestRecording rec = new TestRecording()) {
            new Scenarios(rec).cmaAlloc("vpu", 1 << 20, 0, 0x100);
            // JFR writes jdk.DataLoss itself when its buffers overflow; an event of that name stands in for it
            // where the JDK lets one be defined (JDK 25 registers jdk.DataLoss as a native mirror and refuses)
            Event loss;
            try {
                loss = EventFactory.create(List.of(new AnnotationElement(Name.class, "jdk.DataLoss")),
                        List.of(new ValueDescriptor(long.class, "amount"), new ValueDescriptor(long.class, "total")))
                        .newEvent();
            } catch (InternalError e) {
                Assumptions.abort("this JDK does not let a Java event be named jdk.DataLoss: " + e.getMessage());
                return;
            }
            loss.set(0, 4096L);
            loss.set(1, 8192L);
            loss.commit();
            rec.dump(f);
        }
        Read fast = read(f, RecordingReader.Mode.FAST);
        Read slow = read(f, RecordingReader.Mode.RECORDING_FILE);
        assertThat(fast.summary.notes()).isEmpty();
        assertThat(fast.summary.dataLossBytes()).isEqualTo(4096L);
        assertThat(fast.summary.problems()).extracting(Problem::kind).contains(Problem.Kind.DATA_LOSS);
        assertThat(fast.summary).usingRecursiveComparison().ignoringFields("notes").isEqualTo(slow.summary);
        assertThat(fast.hops).isEqualTo(slow.hops);
    }

    @Test
    void treesBuiltFromHopsGroupedByTree_areTheTreesBuiltFromFileOrder() throws Exception {
        Path f = hopWriter(Path.of(System.getProperty("java.home")), dir.resolve("trees.jfr"));
        List<String> fast = trees(f, RecordingReader.Mode.FAST);
        List<String> slow = trees(f, RecordingReader.Mode.RECORDING_FILE);
        assertThat(fast).hasSizeGreaterThan(500).isEqualTo(slow);
    }

    /** Every tree, in the order handed on, as its completeness, size and nodes (id, caller, symbol) in call order. */
    private static List<String> trees(Path f, RecordingReader.Mode mode) {
        List<String> out = new ArrayList<>();
        dev.dmatrace.analyzer.tree.TreeAssembler a = new dev.dmatrace.analyzer.tree.TreeAssembler(t -> {
            StringBuilder b = new StringBuilder(t.complete() + " " + t.hops() + ":");
            t.root().walk(n -> b.append(' ').append(n.id()).append('<')
                    .append(n.parent() == null ? 0 : n.parent().id()).append(' ').append(n.symbol()));
            out.add(b.toString());
        });
        RecordingReader.read(f, a, b -> { }, mode);
        a.finish();
        return out;
    }

    private record Read(List<Hop> hops, ReadSummary summary) {}

    private static Read read(Path f, RecordingReader.Mode mode) {
        List<Hop> hops = new ArrayList<>();
        ReadSummary s = RecordingReader.read(f, hops::add, b -> { }, mode);
        return new Read(hops, s);
    }

    private static void assertSameAsRecordingFile(Path f, int minChunks) {
        Read fast = read(f, RecordingReader.Mode.FAST);
        Read slow = read(f, RecordingReader.Mode.RECORDING_FILE);
        assertThat(fast.summary.notes()).as("every chunk read by the fast decoder").isEmpty();
        assertThat(fast.summary.chunksRead()).isGreaterThanOrEqualTo(minChunks);
        assertThat(slow.hops).isNotEmpty();
        assertThat(fast.hops).hasSameSizeAs(slow.hops);
        for (int i = 0; i < slow.hops.size(); i++) {
            Hop a = fast.hops.get(i);
            Hop b = slow.hops.get(i);
            // record equality: every component, boxed types included (an Integer is not a Long)
            assertThat(a).as("hop %d", i).isEqualTo(b);
            assertThat(List.copyOf(a.args().entrySet())).as("arguments of hop %d in order", i)
                    .isEqualTo(List.copyOf(b.args().entrySet()));
            if (b.ret() != null) {
                assertThat(a.ret()).hasSameClassAs(b.ret());
            }
        }
        assertThat(fast.summary).usingRecursiveComparison().ignoringFields("notes").isEqualTo(slow.summary);
    }

    /** Runs the single-file HopWriter (test resources) on the JDK at {@code javaHome}. */
    private static Path hopWriter(Path javaHome, Path out) throws Exception {
        Process p = new ProcessBuilder(javaHome.resolve("bin/java").toString(), source().toString(), out.toString(),
                "200")
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        return out;
    }

    private static Path source() throws URISyntaxException {
        return Path.of(JfrChunkDecoderTest.class.getResource("HopWriter.java").toURI());
    }
}
