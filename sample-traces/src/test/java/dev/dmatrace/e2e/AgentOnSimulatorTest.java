package dev.dmatrace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on the real simulator: {@code java -javaagent:dmatrace-agent.jar=record=… -jar dmatrace-kernel.jar demo}
 * in a forked JVM, the recording read back with {@code jdk.jfr.consumer}.
 */
class AgentOnSimulatorTest {

    private static final Path KERNEL_JAR = Path.of(System.getProperty("dmatrace.kernel.jar"));
    private static final Path AGENT_JAR = Path.of(System.getProperty("dmatrace.agent.jar"));

    @TempDir
    static Path dir;
    private static ForkedRun plain;
    private static ForkedRun traced;
    private static Path recording;

    @BeforeAll
    static void runDemoTwice() throws Exception {
        plain = ForkedRun.java(dir, List.of("-jar", KERNEL_JAR.toString(), "demo"));
        recording = dir.resolve("demo.jfr");
        traced = ForkedRun.java(dir, List.of("-javaagent:" + AGENT_JAR + "=record=" + recording,
                "-jar", KERNEL_JAR.toString(), "demo"));
    }

    @Test
    void demoOutputIsByteIdentical_withAndWithoutTheAgent() {
        assertThat(plain.exitCode()).isZero();
        assertThat(traced.exitCode()).isZero();
        assertThat(traced.stdout()).isEqualTo(plain.stdout());
    }

    @Test
    void everyHopHasItsCallerAsParent_onTheSameThreadAndInsideItsTime() throws IOException {
        List<Hop> hops = readHops(recording);
        assertThat(hops).isNotEmpty();
        Map<Long, Hop> byId = new HashMap<>();
        for (Hop h : hops) {
            assertThat(byId.put(h.id, h)).as("hopId %d unique", h.id).isNull();
        }
        for (Hop h : hops) {
            if (h.parent == 0) {
                assertThat(h.depth).isZero();
                assertThat(h.root).isEqualTo(h.id);
                continue;
            }
            Hop p = byId.get(h.parent);
            assertThat(p).as("parent of %s (%d)", h.name, h.id).isNotNull();
            assertThat(h.depth).isEqualTo(p.depth + 1);
            assertThat(h.root).isEqualTo(p.root);
            assertThat(h.thread).isEqualTo(p.thread);
            assertThat(h.start).isAfterOrEqualTo(p.start);
            assertThat(h.end).isBeforeOrEqualTo(p.end);
        }
    }

    @Test
    void bootFreesMemoryThroughTheBuddyAllocator_andTracepointsCarryTheirFields() throws IOException {
        List<Hop> hops = readHops(recording);
        Map<Long, Hop> byId = new HashMap<>();
        hops.forEach(h -> byId.put(h.id, h));
        // memblock_free_all() -> __free_pages_memory() -> __free_pages_core(): mm/memblock.c into mm/page_alloc.c
        assertThat(hops).anySatisfy(h -> {
            assertThat(h.name).isEqualTo("dmatrace.fn.__free_pages_core");
            assertThat(byId.get(h.parent).name).isEqualTo("dmatrace.fn.__free_pages_memory");
        });
        List<RecordedEvent> frees = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("dmatrace.tp.mm_page_free")) {
                frees.add(e);
            }
        }
        assertThat(frees).isNotEmpty().allSatisfy(e -> {
            assertThat(e.hasField("pfn")).isTrue();
            assertThat(e.hasField("order")).isTrue();
        });
    }

    private static List<Hop> readHops(Path file) throws IOException {
        List<Hop> hops = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String name = e.getEventType().getName();
            if (name.startsWith("dmatrace.fn.") || name.startsWith("dmatrace.tp.")) {
                hops.add(new Hop(name, e.getLong("hopId"), e.getLong("parentHopId"), e.getLong("rootHopId"),
                        e.getInt("depth"), e.getThread().getJavaThreadId(), e.getStartTime(), e.getEndTime()));
            }
        }
        return hops;
    }

    private record Hop(String name, long id, long parent, long root, int depth, long thread, Instant start,
            Instant end) {
    }

    /** One forked JVM run: its exit code and standard output. */
    record ForkedRun(int exitCode, String stdout) {

        static ForkedRun java(Path dir, List<String> args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(args);
            Path out = Files.createTempFile(dir, "stdout", ".txt");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int rc = p.waitFor();
            return new ForkedRun(rc, Files.readString(out));
        }
    }
}
