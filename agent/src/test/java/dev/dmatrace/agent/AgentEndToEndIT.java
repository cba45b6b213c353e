package dev.dmatrace.agent;

import static dev.dmatrace.agent.ForkedJvm.agent;
import static dev.dmatrace.agent.ForkedJvm.fixture;
import static dev.dmatrace.agent.ForkedJvm.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.EventType;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Relational;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture program in a forked JVM with {@code -javaagent:dmatrace-agent.jar=record=…}. */
class AgentEndToEndIT {

    @TempDir
    static Path dir;

    static ForkedJvm.Result plain;
    static ForkedJvm.Result traced;
    static Path jfr;
    static Recorded recorded;

    @BeforeAll
    static void runFixtureWithAndWithoutAgent() throws Exception {
        plain = run(fixture(List.of()));
        jfr = dir.resolve("premain.jfr");
        traced = run(fixture(List.of(agent("record=" + jfr))));
        recorded = Recorded.read(jfr);
    }

    @Test
    void programOutput_isByteIdentical_withAndWithoutAgent() {
        assertThat(plain.exit()).isZero();
        assertThat(traced.exit()).isZero();
        assertThat(traced.stdout()).isEqualTo(plain.stdout());
        assertThat(plain.out()).contains("child loader child-first -> 42", "child loader isolated -> 42");
    }

    @Test
    void everyCall_isOneHop_withUniqueIds() {
        assertThat(recorded.named("dmatrace.fn.dma_alloc_attrs")).hasSize(4);
        assertThat(recorded.named("dmatrace.fn.cma_alloc")).hasSize(4);
        assertThat(recorded.named("dmatrace.fn.__rmqueue_smallest")).hasSize(4);
        assertThat(recorded.named("dmatrace.tp.cma_alloc_start")).hasSize(4);
        List<Long> ids = recorded.hops().stream().map(e -> e.getLong("hopId")).collect(Collectors.toList());
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id > 0);
    }

    @Test
    void parentLinks_followTheCallTree() {
        Map<Long, RecordedEvent> byId = recorded.hops().stream()
                .collect(Collectors.toMap(e -> e.getLong("hopId"), Function.identity()));
        for (RecordedEvent rmqueue : recorded.named("dmatrace.fn.__rmqueue_smallest")) {
            RecordedEvent cma = byId.get(rmqueue.getLong("parentHopId"));
            assertThat(cma.getEventType().getName()).isEqualTo("dmatrace.fn.cma_alloc");
            RecordedEvent root = byId.get(cma.getLong("parentHopId"));
            assertThat(root.getEventType().getName()).isEqualTo("dmatrace.fn.dma_alloc_attrs");
            assertThat(root.getLong("parentHopId")).isZero();
            assertThat(root.getInt("depth")).isZero();
            assertThat(root.getLong("rootHopId")).isEqualTo(root.getLong("hopId"));
            assertThat(rmqueue.getLong("rootHopId")).isEqualTo(root.getLong("hopId"));
            assertThat(rmqueue.getInt("depth")).isEqualTo(2);
            assertThat(rmqueue.getStartTime()).isAfterOrEqualTo(root.getStartTime());
        }
    }

    @Test
    void concurrentThreads_andDeepRecursion_keepTheirOwnTrees() {
        Map<Long, RecordedEvent> byId = recorded.hops().stream()
                .collect(Collectors.toMap(e -> e.getLong("hopId"), Function.identity()));
        List<RecordedEvent> roots = recorded.named("dmatrace.fn.alloc_pages");
        assertThat(roots).hasSize(100).allSatisfy(e -> assertThat(e.getInt("depth")).isZero());
        List<RecordedEvent> inner = recorded.named("dmatrace.fn.get_page_from_freelist");
        assertThat(inner).hasSize(100 * 41);
        for (RecordedEvent e : inner) {
            RecordedEvent parent = byId.get(e.getLong("parentHopId"));
            assertThat(parent.getThread().getJavaThreadId()).isEqualTo(e.getThread().getJavaThreadId());
            assertThat(parent.getInt("depth")).isEqualTo(e.getInt("depth") - 1);
            assertThat(byId.get(e.getLong("rootHopId")).getEventType().getName()).isEqualTo("dmatrace.fn.alloc_pages");
        }
        assertThat(inner).extracting(e -> e.getInt("depth")).contains(41);
    }

    @Test
    void arguments_areCapturedTheKernelWay() {
        RecordedEvent alloc = recorded.named("dmatrace.fn.dma_alloc_attrs").get(0);
        assertThat(alloc.getString("dev")).isEqualTo("soc:dma0");
        assertThat(alloc.getLong("size")).isEqualTo(4096);
        assertThat(alloc.getInt("gfp")).isEqualTo(3);
        assertThat(alloc.getString("gfp_text")).isEqualTo("GFP_KERNEL|__GFP_NOWARN");
        assertThat(alloc.getLong("ret")).isEqualTo(0x1000000);
        assertThat(alloc.getBoolean("threw")).isFalse();
        RecordedEvent rmqueue = recorded.named("dmatrace.fn.__rmqueue_smallest").get(0);
        assertThat(rmqueue.getString("migratetype")).isEqualTo("MIGRATE_CMA");
        assertThat(rmqueue.getInt("order")).isZero();
        RecordedEvent cma = recorded.named("dmatrace.fn.cma_alloc").get(0);
        assertThat(cma.getBoolean("no_warn")).isTrue();
        assertThat(cma.getString("name")).isEqualTo("reserved");
        RecordedEvent tp = recorded.named("dmatrace.tp.cma_alloc_start").get(0);
        assertThat(tp.getFields()).extracting(f -> f.getName()).contains("name", "count", "align").doesNotContain("ret");
    }

    @Test
    void argumentsAreRecordedAsPassed_evenWhenTheMethodLaterChangesItsLocals() {
        // cma_alloc adds to its count parameter inside a finally; the event keeps the value it was called with
        assertThat(recorded.named("dmatrace.fn.cma_alloc")).extracting(e -> e.getLong("count")).containsExactly(1L, 2L, 4L, 2L);
    }

    private static RecordedEvent release(long pfn) {
        return recorded.named("dmatrace.fn.cma_release").stream().filter(e -> e.getLong("pfn") == pfn).findFirst().orElseThrow();
    }

    @Test
    void hopThatThrows_isCommittedWithThrew_andTheNextCallOfItIsClean() {
        RecordedEvent release = release(0x1000);
        assertThat(release.getBoolean("threw")).isTrue();
        assertThat(release.getBoolean("ret")).isFalse();
        RecordedEvent next = release(0x3000); // same type, same depth: the agent reuses the event object
        assertThat(next.getBoolean("threw")).isFalse();
        assertThat(next.getBoolean("ret")).isTrue();
        assertThat(next.getLong("count")).isZero();
        assertThat(next.getLong("hopId")).isNotEqualTo(release.getLong("hopId"));
    }

    @Test
    void exceptionCaughtByTheCaller_marksOnlyTheHopItLeft_andUnwindsTheStack() {
        RecordedEvent outer = recorded.named("dmatrace.fn.alloc_contig_range").get(0);
        RecordedEvent inner = release(0x2000);
        assertThat(inner.getBoolean("threw")).isTrue();
        assertThat(inner.getLong("parentHopId")).isEqualTo(outer.getLong("hopId"));
        assertThat(outer.getBoolean("threw")).isFalse();
        assertThat(outer.getDouble("ret")).isEqualTo(-0.5);
        assertThat(outer.getDouble("ratio")).isEqualTo(0.5);
        assertThat(outer.getInt("depth")).isZero();
        assertThat(recorded.named("dmatrace.fn.child_alloc").get(0).getInt("depth")).isZero(); // the next root
    }

    @Test
    void argumentWhoseCaptureThrows_leavesTheResultAlone_andIsCountedAsAgentError() {
        assertThat(traced.out()).contains("broken device -> 0x1007000");
        RecordedEvent broken = recorded.named("dmatrace.fn.dma_alloc_attrs").get(3);
        assertThat(broken.getString("dev")).isNull();
        assertThat(broken.getLong("size")).isEqualTo(8192);
        assertThat(recorded.lastStats().getLong("errors")).isEqualTo(1);
        assertThat(traced.stderr().lines().filter(l -> l.contains("internal error"))).hasSize(1);
    }

    @Test
    void classesOfAChildFirstLoader_areTraced() {
        assertThat(recorded.named("dmatrace.fn.child_alloc")).singleElement()
                .satisfies(e -> assertThat(e.getLong("ret")).isEqualTo(42));
    }

    @Test
    void aLoaderThatCannotSeeTheAgent_isSkippedWithOneWarning_andItsClassesStillRun() {
        assertThat(traced.out()).contains("child loader isolated -> 42");
        assertThat(traced.stderr().lines().filter(l -> l.contains("cannot see the agent"))).singleElement().asString()
                .contains("dev.dmatrace.fixture.child.ChildKernel");
    }

    @Test
    void recording_carriesSchemaVersionAndAgentStatistics() {
        assertThat(recorded.named("dmatrace.Schema")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getInt("schemaVersion")).isEqualTo(1));
        RecordedEvent stats = recorded.lastStats();
        assertThat(stats.getLong("classesTransformed")).isEqualTo(3);
        assertThat(stats.getLong("methodsInstrumented")).isEqualTo(10);
        assertThat(stats.getLong("hopsEmitted")).isEqualTo(recorded.hops().size());
    }

    @Test
    void eventTypes_describeThemselvesForJfrPrintAndMissionControl() throws Exception {
        try (RecordingFile file = new RecordingFile(jfr)) {
            EventType cma = file.readEventTypes().stream().filter(t -> t.getName().equals("dmatrace.fn.cma_alloc")).findFirst().orElseThrow();
            assertThat(cma.getLabel()).isEqualTo("cma_alloc");
            assertThat(cma.getDescription()).isEqualTo("mm/cma.c, kernel 6.1");
            assertThat(cma.getCategoryNames()).containsExactly("dmatrace", "mm");
            assertThat(recorded.hops()).allMatch(e -> e.getStackTrace() == null);
            assertThat(cma.getField("hopId").getAnnotationElements()).anyMatch(a -> a.getAnnotation(Relational.class) != null);
            EventType alloc = file.readEventTypes().stream().filter(t -> t.getName().equals("dmatrace.fn.dma_alloc_attrs")).findFirst().orElseThrow();
            assertThat(alloc.getCategoryNames()).containsExactly("dmatrace", "dma");
            assertThat(alloc.getField("size").getAnnotation(DataAmount.class).value()).isEqualTo(DataAmount.BYTES);
            EventType release = file.readEventTypes().stream().filter(t -> t.getName().equals("dmatrace.fn.cma_release")).findFirst().orElseThrow();
            assertThat(release.getField("pfn").getAnnotation(MemoryAddress.class)).isNotNull();
            EventType tp = file.readEventTypes().stream().filter(t -> t.getName().equals("dmatrace.tp.cma_alloc_start")).findFirst().orElseThrow();
            assertThat(tp.getCategoryNames()).containsExactly("dmatrace", "tracepoint", "cma");
            assertThat(tp.getAnnotation(Category.class)).isNotNull();
        }
    }

    @Test
    void startFlightRecording_isEnoughWithoutTheRecordOption() throws Exception {
        Path file = dir.resolve("xx.jfr");
        ForkedJvm.Result r = run(fixture(List.of("-XX:StartFlightRecording=filename=" + file, agent(""))));
        assertThat(r.exit()).isZero();
        assertThat(Recorded.read(file).named("dmatrace.fn.dma_alloc_attrs")).hasSize(4);
    }

    @Test
    void withoutRecording_theAgentStaysQuiet() throws Exception {
        ForkedJvm.Result r = run(fixture(List.of(agent(""))));
        assertThat(r.stdout()).isEqualTo(plain.stdout());
        // not even the broken device: nothing is captured when nothing records
        assertThat(r.stderr().lines()).allMatch(l -> l.contains("cannot see the agent"));
    }

    @Test
    void unknownOption_isOneWarningLine_andTheProgramRuns() throws Exception {
        ForkedJvm.Result r = run(fixture(List.of(agent("colour=blue"))));
        assertThat(r.stdout()).isEqualTo(plain.stdout());
        assertThat(r.stderr().lines().filter(l -> l.contains("unknown option"))).singleElement().asString()
                .startsWith("dmatrace agent: unknown option 'colour' ignored");
    }

    @Test
    void probeFile_tracesCodeWithoutTheAnnotation_andWarnsAboutProbesMatchingNothing() throws Exception {
        Path probes = dir.resolve("probes.txt");
        Files.writeString(probes, String.join("\n",
                "# the pool has no kernel annotation",
                "dev.dmatrace.fixture.Pool#grab  event=pool_grab  args=size:wanted",
                "dev.dmatrace.fixture.Nowhere#grab",
                ""));
        Path file = dir.resolve("probes.jfr");
        ForkedJvm.Result r = run(fixture(List.of(agent("probes=" + probes + ",record=" + file))));
        assertThat(r.stdout()).isEqualTo(plain.stdout());
        assertThat(r.stderr().lines().filter(l -> l.contains("matches nothing"))).singleElement().asString()
                .contains("probes.txt:3", "dev.dmatrace.fixture.Nowhere");
        RecordedEvent grab = Recorded.read(file).named("dmatrace.fn.pool_grab").get(0);
        assertThat(grab.getInt("wanted")).isEqualTo(21);
        assertThat(grab.getInt("ret")).isEqualTo(42);
        assertThat(grab.hasField("owner")).isFalse();
    }

    @Test
    void includeAndExcludePatterns_chooseTheHops() throws Exception {
        Path file = dir.resolve("patterns.jfr");
        ForkedJvm.Result r = run(fixture(List.of(agent("include=cma_*|dev.dmatrace.fixture.Pool#*,exclude=cma_release,record=" + file))));
        assertThat(r.exit()).isZero();
        Recorded patterns = Recorded.read(file);
        assertThat(patterns.hops()).extracting(e -> e.getEventType().getName()).containsOnly("dmatrace.fn.cma_alloc", "dmatrace.fn.Pool.grab");
        assertThat(patterns.named("dmatrace.fn.cma_alloc")).hasSize(4);
        assertThat(patterns.named("dmatrace.fn.Pool.grab").get(0).getString("owner")).isEqualTo("fixture");
    }

    @Test
    void theJdkAndTheAgentItself_areNeverTransformed_evenWhenAPatternAsks() throws Exception {
        Path file = dir.resolve("ignored.jfr");
        ForkedJvm.Result r = run(fixture(List.of(agent("include=java.*#*|jdk.*#*|dev.dmatrace.agent.*#*|cma_alloc,record=" + file))));
        assertThat(r.stdout()).isEqualTo(plain.stdout());
        assertThat(Recorded.read(file).hops()).extracting(e -> e.getEventType().getName()).containsOnly("dmatrace.fn.cma_alloc");
    }

    @Test
    void threshold_keepsOnlySlowHops() throws Exception {
        Path file = dir.resolve("threshold.jfr");
        run(fixture(List.of(agent("threshold=20ms,record=" + file))));
        Recorded slow = Recorded.read(file);
        assertThat(slow.named("dmatrace.fn.lru_add_drain_all")).hasSize(1);
        assertThat(slow.hops()).allMatch(e -> e.getDuration().toMillis() >= 20);
        assertThat(slow.lastStats().getLong("methodsInstrumented")).isEqualTo(10);
    }
}
