package dev.dmatrace.analyzer.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.testing.Hops;
import dev.dmatrace.analyzer.testing.TestRecording;

class RecordingReaderTest {
    @TempDir
    Path dir;

    @Test
    void hop_carriesIdsArgumentsInOrderResultAndKind() throws Exception {
        long cmaId;
        long tpId;
        try (TestRecording rec = new TestRecording()) {
            rec.schema(1, "0.1.0-test");
            TestRecording.Call cma = rec.call("cma_alloc", long.class, "name", "reserved", "count", 256L,
                    "align", 8, "no_warn", true);
            tpId = rec.tp("cma_alloc_start", "name", "reserved", "count", 256L, "align", 8);
            cmaId = cma.ret(0x12300L);
            rec.dump(dir.resolve("r.jfr"));
        }
        Hops.All all = Hops.read(dir.resolve("r.jfr"));

        assertThat(all.summary().problems()).isEmpty();
        assertThat(all.summary().schemaVersion()).isEqualTo(1);
        assertThat(all.summary().agentVersion()).isEqualTo("0.1.0-test");
        Hop cma = all.hops().stream().filter(h -> h.hopId() == cmaId).findFirst().orElseThrow();
        assertThat(cma.symbol()).isEqualTo("cma_alloc");
        assertThat(cma.kind()).isEqualTo(Hop.Kind.FN);
        assertThat(cma.isRoot()).isTrue();
        assertThat(cma.rootHopId()).isEqualTo(cmaId);
        assertThat(List.copyOf(cma.args().keySet())).containsExactly("name", "count", "align", "no_warn");
        assertThat(cma.args().get("count")).isEqualTo(256L);
        assertThat(cma.args().get("align")).isEqualTo(8);
        assertThat(cma.ret()).isEqualTo(0x12300L);
        assertThat(cma.threw()).isFalse();
        assertThat(cma.threadName()).isEqualTo(Thread.currentThread().getName());
        Hop tp = all.hops().stream().filter(h -> h.hopId() == tpId).findFirst().orElseThrow();
        assertThat(tp.kind()).isEqualTo(Hop.Kind.TP);
        assertThat(tp.parentHopId()).isEqualTo(cmaId);
        assertThat(tp.depth()).isEqualTo(1);
        assertThat(tp.ret()).isNull();
        assertThat(tp.startNanos()).isGreaterThanOrEqualTo(cma.startNanos());
        assertThat(tp.endNanos()).isLessThanOrEqualTo(cma.endNanos());
    }

    @Test
    void readingByPosition_givesTheSameHopsAsReadingByName() throws Exception {
        try (TestRecording rec = new TestRecording()) {
            dev.dmatrace.analyzer.testing.Scenarios s = new dev.dmatrace.analyzer.testing.Scenarios(rec);
            s.cmaFailsThenBuddy("gpu", 1 << 21, 2, true, 0x5000);
            rec.call("set_migratetype_isolate", int.class, "migratetype", 4).threw();
            rec.dump(dir.resolve("r.jfr"));
        }
        assertThat(FieldAccess.direct()).as("surefire opens jdk.jfr.consumer like the jar's manifest").isTrue();
        HopDecoder byPosition = new HopDecoder(true);
        HopDecoder byName = new HopDecoder(false);
        int hops = 0;
        try (jdk.jfr.consumer.RecordingFile rf = new jdk.jfr.consumer.RecordingFile(dir.resolve("r.jfr"))) {
            while (rf.hasMoreEvents()) {
                jdk.jfr.consumer.RecordedEvent e = rf.readEvent();
                if (!HopDecoder.isHopType(e.getEventType().getName())) {
                    continue;
                }
                Hop a = byPosition.decode(e);
                assertThat(byPosition.lastByPosition()).as(e.getEventType().getName()).isTrue();
                Hop b = byName.decode(e);
                assertThat(byName.lastByPosition()).isFalse();
                assertThat(a).usingRecursiveComparison().isEqualTo(b);
                hops++;
            }
        }
        assertThat(hops).isGreaterThan(20);
    }

    @Test
    void threw_isRecordedAndVoidHasNoResult() throws Exception {
        try (TestRecording rec = new TestRecording()) {
            rec.call("set_migratetype_isolate", int.class, "migratetype", 4).threw();
            rec.call("undo_isolate_page_range", void.class, "start_pfn", 0x1000L).exit();
            rec.dump(dir.resolve("r.jfr"));
        }
        List<Hop> hops = Hops.read(dir.resolve("r.jfr")).hops();
        assertThat(hops).extracting(Hop::symbol, Hop::threw, Hop::ret)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("set_migratetype_isolate", true, null),
                        org.assertj.core.groups.Tuple.tuple("undo_isolate_page_range", false, null));
    }

    @Test
    void severalChunks_areAllRead() throws Exception {
        try (TestRecording rec = new TestRecording()) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 10; i++) {
                    rec.call("__free_pages", void.class, "order", 0).exit();
                }
                rec.newChunk();
            }
            rec.dump(dir.resolve("r.jfr"));
        }
        Hops.All all = Hops.read(dir.resolve("r.jfr"));
        assertThat(all.summary().chunksRead()).isGreaterThanOrEqualTo(3);
        assertThat(all.hops()).hasSize(30);
        assertThat(all.summary().problems()).isEmpty();
    }
}
