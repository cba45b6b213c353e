package dev.dmatrace.benchmarks.agent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Where a recorded hop's time goes beyond the plain hand-written event of {@link HopBench}: the same event
 * (recording enabled, threshold 0) plus only the thread-local hop stack, plus only the five hop fields (with
 * one-byte values, and with ids the size a long run reaches), and plus both. Each step is hand-written, so
 * the difference between rows is JFR's and the JVM's price for that piece, not the agent's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class HopCostBreakdown {

    @Name("bench.Plain")
    @StackTrace(false)
    static final class Plain extends Event {
        long size;
        int order;
        long ret;
    }

    @Name("bench.WithHopFields")
    @StackTrace(false)
    static final class WithHopFields extends Event {
        long size;
        int order;
        long ret;
        long hopId;
        long parentHopId;
        long rootHopId;
        int depth;
        boolean threw;
    }

    static final class Stack {
        final long[] open = new long[64];
        int size;
        long nextId = 1;
    }

    private static final ThreadLocal<Stack> STACK = ThreadLocal.withInitial(Stack::new);
    /** About the hop count of one JMH fork: JFR writes longs as varints, so the ids' size matters. */
    private static final long LONG_RUN_ID = 300_000_000L;

    private Recording recording;
    private long next = 0x1000;
    private long size = 8192;
    private long bigId = LONG_RUN_ID;

    @Setup(Level.Trial)
    public void start() {
        recording = new Recording();
        recording.setToDisk(false);
        for (String event : new String[] {"bench.Plain", "bench.WithHopFields"}) {
            recording.enable(event).withoutStackTrace().withThreshold(Duration.ZERO);
        }
        recording.start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        recording.close();
    }

    private long work() {
        long pfn = next;
        next += (size >>> 12) + 1;
        return pfn;
    }

    @Benchmark
    public long plainEvent() {
        Plain e = new Plain();
        e.begin();
        long pfn = work();
        e.end();
        if (e.shouldCommit()) {
            e.size = size;
            e.order = 1;
            e.ret = pfn;
            e.commit();
        }
        return pfn;
    }

    @Benchmark
    public long plusStack() {
        Plain e = new Plain();
        Stack s = STACK.get();
        int depth = s.size;
        s.open[depth] = s.nextId++;
        s.size = depth + 1;
        e.begin();
        long pfn = work();
        s.size = depth;
        e.end();
        if (e.shouldCommit()) {
            e.size = size;
            e.order = 1;
            e.ret = pfn;
            e.commit();
        }
        return pfn;
    }

    @Benchmark
    public long plusHopFieldsSmall() {
        return withFields(1);
    }

    @Benchmark
    public long plusHopFieldsLongRun() {
        return withFields(bigId++);
    }

    private long withFields(long id) {
        WithHopFields e = new WithHopFields();
        e.begin();
        long pfn = work();
        e.end();
        if (e.shouldCommit()) {
            e.size = size;
            e.order = 1;
            e.ret = pfn;
            e.hopId = id;
            e.parentHopId = 0;
            e.rootHopId = id;
            e.commit();
        }
        return pfn;
    }
}
