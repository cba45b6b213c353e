package dev.dmatrace.kernel.sched;

/**
 * {@code current} and {@code smp_processor_id()}: the simulated task the calling Java thread stands for and
 * the CPU it runs on. Each thread is bound to one CPU (default 0) and one task (default {@code swapper/0},
 * pid 0); per-cpu structures (the pcp lists) are indexed by this CPU id, so a test that wants two CPUs uses
 * two threads, or rebinds one thread between calls. The cpu id must be below the machine's number of cpus.
 */
public final class Current {

    private static final ThreadLocal<Current> CURRENT = ThreadLocal.withInitial(() -> new Current(0, "swapper/0", 0));

    private final int cpu;
    private final String comm;
    private final int pid;

    private Current(int cpu, String comm, int pid) {
        this.cpu = cpu;
        this.comm = comm;
        this.pid = pid;
    }

    /** Binds the calling thread to {@code cpu} and to the task {@code comm}/{@code pid}. */
    public static void bind(int cpu, String comm, int pid) {
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu " + cpu);
        }
        CURRENT.set(new Current(cpu, comm, pid));
    }

    /** Binds the calling thread to {@code cpu}, keeping its task. */
    public static void bindCpu(int cpu) {
        Current c = CURRENT.get();
        bind(cpu, c.comm, c.pid);
    }

    public static int smpProcessorId() {
        return CURRENT.get().cpu;
    }

    public static String comm() {
        return CURRENT.get().comm;
    }

    public static int pid() {
        return CURRENT.get().pid;
    }

    /** fatal_signal_pending(current): set by {@link #sendFatalSignal}, for the calling thread only. */
    public static boolean fatalSignalPending() {
        return FATAL_SIGNAL.get();
    }

    /** Delivers (or clears) SIGKILL to the calling thread's task, so long kernel loops return -EINTR. */
    public static void sendFatalSignal(boolean pending) {
        FATAL_SIGNAL.set(pending);
    }

    private static final ThreadLocal<Boolean> FATAL_SIGNAL = ThreadLocal.withInitial(() -> false);
}
