package dev.dmatrace.analyzer.render.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dmatrace.analyzer.testing.MixedRecording;
import dev.dmatrace.analyzer.testing.Scenarios;
import dev.dmatrace.analyzer.testing.TestRecording;

/** speedscope and Chrome trace-event exports: balanced, strictly nested, one profile or track per thread. */
class ExportsTest {
    @TempDir
    static Path dir;

    static RecordingViews mixed;
    static RecordingViews twoThreads;

    @BeforeAll
    static void record() throws Exception {
        mixed = RecordingViews.read(MixedRecording.write(dir.resolve("mixed.jfr")), b -> { });
        Path two = dir.resolve("two.jfr");
        try (TestRecording rec = new TestRecording()) {
            rec.schema(1, "test");
            Thread other = new Thread(() -> new Scenarios(rec).cmaAlloc("isp", 1 << 16, 1, 0x20000), "isp-worker");
            other.start();
            new Scenarios(rec).cmaAlloc("vpu", 1 << 20, 0, 0x10000);
            other.join();
            rec.dump(two);
        }
        twoThreads = RecordingViews.read(two, b -> { });
    }

    static JsonNode json(RecordingViews v, boolean speedscope) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (speedscope) {
            Speedscope.write("t", v, out);
        } else {
            TraceEvents.write("t", v, out);
        }
        return new ObjectMapper().readTree(out.toByteArray());
    }

    @Test
    void speedscope_oneEventedProfilePerThread_balancedAndInTimeOrder() throws Exception {
        JsonNode s = json(twoThreads, true);
        assertThat(s.path("$schema").asText()).isEqualTo("https://www.speedscope.app/file-format-schema.json");
        JsonNode profiles = s.path("profiles");
        assertThat(profiles).hasSize(2);
        List<String> names = new ArrayList<>();
        int frames = s.path("shared").path("frames").size();
        for (JsonNode p : profiles) {
            names.add(p.path("name").asText());
            assertThat(p.path("type").asText()).isEqualTo("evented");
            assertThat(p.path("unit").asText()).isEqualTo("nanoseconds");
            Deque<Integer> open = new ArrayDeque<>();
            long at = p.path("startValue").asLong();
            for (JsonNode e : p.path("events")) {
                assertThat(e.path("at").asLong()).isGreaterThanOrEqualTo(at);
                at = e.path("at").asLong();
                int frame = e.path("frame").asInt();
                assertThat(frame).isBetween(0, frames - 1);
                if (e.path("type").asText().equals("O")) {
                    open.push(frame);
                } else {
                    assertThat(open.pop()).isEqualTo(frame);
                }
            }
            assertThat(open).isEmpty();
            assertThat(at).isLessThanOrEqualTo(p.path("endValue").asLong());
        }
        assertThat(names).anyMatch(n -> n.startsWith("isp-worker")).anyMatch(n -> n.startsWith("main"));
    }

    @Test
    void speedscope_namesFramesLikeTheFoldedStacks() throws Exception {
        Set<String> names = new HashSet<>();
        json(mixed, true).path("shared").path("frames").forEach(f -> names.add(f.path("name").asText()));
        assertThat(names).contains("dma_alloc_coherent", "dma_alloc_coherent_[failed]",
                "dma_alloc_coherent_[fallback]", "cma_alloc_[busy]");
    }

    @Test
    void traceEvents_slicesNestStrictlyPerTrack_andCarryTheHopsArguments() throws Exception {
        for (RecordingViews v : List.of(mixed, twoThreads)) {
            JsonNode t = json(v, false);
            Map<Integer, List<JsonNode>> byTid = new HashMap<>();
            Set<Integer> named = new HashSet<>();
            for (JsonNode e : t.path("traceEvents")) {
                switch (e.path("ph").asText()) {
                    case "M" -> {
                        if (e.path("name").asText().equals("thread_name")) {
                            named.add(e.path("tid").asInt());
                        }
                    }
                    case "X" -> byTid.computeIfAbsent(e.path("tid").asInt(), k -> new ArrayList<>()).add(e);
                    case "i" -> assertThat(e.path("s").asText()).isEqualTo("t");
                    default -> throw new AssertionError("unexpected event " + e);
                }
            }
            assertThat(named).isEqualTo(byTid.keySet());
            for (List<JsonNode> track : byTid.values()) {
                assertStrictlyNested(track);
            }
        }
        JsonNode cma = null;
        for (JsonNode e : json(mixed, false).path("traceEvents")) {
            if (e.path("name").asText().equals("cma_alloc_[busy]")) {
                cma = e;
            }
        }
        assertThat(cma).isNotNull();
        assertThat(cma.path("args").path("cma").asText()).isEqualTo("reserved");
        assertThat(cma.path("args").path("outcome").asText()).isEqualTo("busy");
        assertThat(cma.path("args").has("ret")).isTrue();
        assertThat(cma.path("cat").asText()).isEqualTo("cma");
    }

    @Test
    void cmaMap_showsAllocatedBusyAndIsolatedRanges_ofTheArea() {
        List<CmaMap> maps = CmaMap.of(mixed);
        assertThat(maps).extracting(CmaMap::area).containsExactly("reserved");
        Map<String, Long> states = new HashMap<>();
        maps.get(0).spans().forEach(s -> states.merge(s.state(), 1L, Long::sum));
        // allocated: vpu 1 MiB (after two busy ranges), vpu 64 KiB reusing its pfn, the markup device's 4 KiB;
        // busy: vpu's two ranges and dsp's one; isolated: the three successful attempts
        assertThat(states).containsOnly(Map.entry("allocated", 3L), Map.entry("busy", 3L), Map.entry("isolated", 3L));
        assertThat(maps.get(0).spans()).allMatch(s -> s.end() >= s.start() && s.count() > 0);
    }

    @Test
    void cmaMap_marksARangeMigrated_whenPagesWereMovedOutBeforeItWasTaken() throws Exception {
        Path file = dir.resolve("migrated.jfr");
        try (TestRecording rec = new TestRecording()) {
            rec.schema(1, "test");
            new Scenarios(rec).slowCmaAlloc("vpu", 1 << 16, 0x30000, 1_000);
            rec.dump(file);
        }
        List<CmaMap> maps = CmaMap.of(RecordingViews.read(file, b -> { }));
        assertThat(maps).hasSize(1);
        assertThat(maps.get(0).spans()).extracting(CmaMap.Span::state, CmaMap.Span::pfn, CmaMap.Span::count)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("migrated", 0x30000L, 16L),
                        org.assertj.core.groups.Tuple.tuple("allocated", 0x30000L, 16L));
    }

    /** In file order (pre-order), every slice lies inside the open one or starts after it ends. */
    private static void assertStrictlyNested(List<JsonNode> track) {
        Deque<long[]> open = new ArrayDeque<>();
        for (JsonNode e : track) {
            long s = nanos(e.path("ts").asText());
            long end = s + nanos(e.path("dur").asText());
            while (!open.isEmpty() && s >= open.peek()[1]) {
                open.pop();
            }
            if (!open.isEmpty()) {
                assertThat(s).isGreaterThanOrEqualTo(open.peek()[0]);
                assertThat(end).as(e.toString()).isLessThanOrEqualTo(open.peek()[1]);
            }
            open.push(new long[] {s, end});
        }
    }

    private static long nanos(String micros) {
        String[] p = micros.split("\\.");
        return Long.parseLong(p[0]) * 1000 + (p.length > 1 ? Long.parseLong((p[1] + "000").substring(0, 3)) : 0);
    }
}
