package dev.dmatrace.benchmarks.agent;

import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One kernel-shaped call four ways: no agent, a hand-written JFR event, the same carrying hop ids, the agent's
 * hop; each with no
 * recording, a recording with the event enabled, and one with it disabled. Run from the repository root (the
 * agent fork finds the jar at {@code agent/target/dmatrace-agent.jar}); add {@code -prof gc} for bytes per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class HopBench {

    static final String AGENT_EVENT = "dmatrace.fn.bench_alloc_pages";

    @Param({"none", "enabled", "disabled"})
    public String recording;

    private AllocTarget target;
    private HandWrittenTarget handWritten;
    private HandWrittenWithIdsTarget handWrittenWithIds;
    private Recording active;
    private long size = 8192;

    @Setup(Level.Trial)
    public void startRecording() {
        startRecordingIfAsked();
        target = new AllocTarget();
        handWritten = new HandWrittenTarget();
        handWrittenWithIds = new HandWrittenWithIdsTarget();
    }

    private void startRecordingIfAsked() {
        if (recording.equals("none")) {
            return;
        }
        active = new Recording();
        active.setToDisk(false); // in-memory: the flushes of a disk recording add noise on these shared machines
        for (String event : new String[] {AGENT_EVENT, HandWrittenTarget.EVENT, HandWrittenWithIdsTarget.EVENT}) {
            if (recording.equals("enabled")) {
                active.enable(event).withoutStackTrace().withThreshold(java.time.Duration.ZERO);
            } else {
                active.disable(event);
            }
        }
        active.start();
    }

    @TearDown(Level.Trial)
    public void stopRecording() {
        if (active != null) {
            active.close();
        }
    }

    @Benchmark
    public long noAgent() {
        return target.allocPages(size, 1);
    }

    @Benchmark
    public long handWrittenEvent() {
        return handWritten.allocPages(size, 1);
    }

    @Benchmark
    public long handWrittenEventWithIds() {
        return handWrittenWithIds.allocPages(size, 1);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-javaagent:agent/target/dmatrace-agent.jar")
    public long agentHop(AgentLoaded loaded) {
        return target.allocPages(size, 1);
    }

    /** Fails the agent fork loudly if the agent did not load (e.g. run from outside the repository root). */
    @State(Scope.Benchmark)
    public static class AgentLoaded {
        @Setup(Level.Trial)
        public void check() throws ClassNotFoundException {
            Class.forName("dev.dmatrace.agent.runtime.HopStack", false, ClassLoader.getSystemClassLoader());
        }
    }
}
