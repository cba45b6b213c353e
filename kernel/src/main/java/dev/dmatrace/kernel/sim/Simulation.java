package dev.dmatrace.kernel.sim;

import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.BootOptions;
import dev.dmatrace.kernel.boot.Kernel;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.drivers.base.Device;
import dev.dmatrace.kernel.drivers.models.DmaApi;
import dev.dmatrace.kernel.drivers.models.DriverEnv;
import dev.dmatrace.kernel.drivers.models.DriverModel;
import dev.dmatrace.kernel.drivers.models.DriverModels;
import dev.dmatrace.kernel.fs.proc.ProcViews;
import dev.dmatrace.kernel.mm.CmaArea;
import dev.dmatrace.kernel.mm.DebugVm;
import dev.dmatrace.kernel.mm.MemMap;
import dev.dmatrace.kernel.mm.Page;
import dev.dmatrace.kernel.mm.PageUsers;
import dev.dmatrace.kernel.of.DtsException;
import dev.dmatrace.kernel.sched.Current;
import dev.dmatrace.kernel.sim.Scenario.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs a {@link Scenario}: boots the kernel, sets up the devices, then takes the workload's steps in order on the
 * calling thread (bound as cpu 0), a parallel step on one real thread per CPU under a seeded {@link Baton}. The
 * output is deterministic for a scenario and seed: the operation table, the kernel log since boot, the /proc views
 * of the checkpoints. Expectations not met, or an inconsistent memory state at the end, make exit code 1.
 */
public final class Simulation {

    /** The output, the exit code (0 or 1) and, when asked for, the trace buffer's lines. */
    public record Result(String output, int exitCode, List<String> trace) {
    }

    /** Told when the workload starts (the kernel has booted) and when it has ended. */
    public interface Workload {
        Workload NONE = new Workload() {
        };

        default void started(Kernel k) {
        }

        default void ended(Kernel k) {
        }
    }

    private final Scenario scenario;
    private final long seed;
    private final Run run;
    private final Random random;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final StringBuilder checkpoints = new StringBuilder();

    private Simulation(Scenario scenario, long seed, Kernel kernel) {
        this.scenario = scenario;
        this.seed = seed;
        this.run = new Run(kernel);
        this.random = new Random(seed);
    }

    /**
     * Runs {@code s} with {@code seed} (null: the scenario's own) on the scenario's board or on {@code profile}
     * instead of its kernel version; {@code trace} turns every tracepoint on. Errors found only at boot (a CMA area
     * a pin names, a devicetree the kernel refuses) are {@link ScenarioException}s.
     */
    public static Result run(Scenario s, Long seed, KernelProfile profile, boolean trace) throws ScenarioException {
        return run(s, seed, profile, trace, Workload.NONE);
    }

    /** {@link #run(Scenario, Long, KernelProfile, boolean)}, telling {@code workload} when the workload starts and ends. */
    public static Result run(Scenario s, Long seed, KernelProfile profile, boolean trace, Workload workload)
            throws ScenarioException {
        Board board = profile == null ? s.boot().board() : s.boot().board().withProfile(profile);
        Kernel k;
        Current.bind(0, "sim", 100);
        try {
            k = Kernel.boot(board, s.boot().dt(), s.boot().cmdline(),
                    BootOptions.defaults(board).withDmaApiDebug(s.boot().dmaDebug()));
        } catch (DtsException | RuntimeException e) {
            throw new ScenarioException(s.file(), 1, "board", "the kernel does not boot: " + e.getMessage());
        }
        if (trace) {
            k.machine().tracing().enable("all", true);
        }
        Simulation sim = new Simulation(s, seed == null ? s.seed() : seed, k);
        try {
            workload.started(k);
            try {
                return sim.execute();
            } finally {
                workload.ended(k);
            }
        } finally {
            Current.bind(0, "swapper/0", 0);
        }
    }

    private Result execute() throws ScenarioException {
        Kernel k = run.kernel();
        for (Scenario.DeviceSpec d : scenario.devices()) {
            devices.put(d.name(), device(k, d));
        }
        int logAtStart = k.machine().printk().lines().size();
        CpuContext main = new CpuContext(run, null, 0);
        for (Step step : scenario.steps()) {
            run.sync();
            step(step, main);
        }
        long end = run.sync();
        List<String> log = k.machine().printk().lines();
        List<String> violations = DebugVm.check(k.machine().pageAlloc());
        String out = Report.render(scenario, seed, k, notes, run.rows(), end, log.subList(logAtStart, log.size()),
                checkpoints.toString(), violations);
        boolean unexpected = run.rows().stream().anyMatch(Row::unexpected);
        return new Result(out, unexpected || !violations.isEmpty() ? 1 : 0, k.machine().tracing().lines());
    }

    /** A device named in the devicetree is the bound one; otherwise a platform device, set up as described. */
    private static Device device(Kernel k, Scenario.DeviceSpec d) {
        Device dev = k.device(d.name());
        if (dev == null) {
            dev = k.createDevice(d.name());
        }
        if (d.coherentDmaMask() != null) {
            dev.coherentDmaMask = d.coherentDmaMask();
        }
        if (d.dmaMask() != null) {
            dev.dmaMask = d.dmaMask();
            dev.hasDmaMask = true;
        }
        if (d.coherent() != null && d.memoryRegion() == null) {
            dev.dmaCoherent = d.coherent();
            k.setupDmaOps(dev);
        }
        return dev;
    }

    private void step(Step step, CpuContext ctx) throws ScenarioException {
        if (step instanceof Scenario.Fill f) {
            fill(f);
        } else if (step instanceof Scenario.Pin p) {
            pin(p);
        } else if (step instanceof Scenario.Alloc a) {
            for (int i = 0; i < a.repeat(); i++) {
                ctx.alloc(devices.get(a.device()), a.size(), a.gfp(), a.attrs(), a.label() == null ? "-" : a.label(),
                        a.expect());
            }
        } else if (step instanceof Scenario.Free f) {
            for (Run.Buffer b : run.labelled(f.label())) {
                ctx.free(b, f.size() == null ? b.size() : f.size());
            }
        } else if (step instanceof Scenario.Driver d) {
            driver(d, ctx);
        } else if (step instanceof Scenario.Wait w) {
            run.advance(ctx.cpu(), w.nanos());
        } else if (step instanceof Scenario.Checkpoint c) {
            checkpoint(c);
        } else if (step instanceof Scenario.Parallel p) {
            parallel(p);
        }
    }

    private void fill(Scenario.Fill f) {
        PageUsers users = run.kernel().machine().pageUsers();
        var pa = run.kernel().machine().pageAlloc();
        byte kind = switch (f.kind()) {
            case "anon" -> Page.OWNER_ANON;
            case "pagecache-clean" -> Page.OWNER_PAGECACHE_CLEAN;
            case "pagecache-dirty" -> Page.OWNER_PAGECACHE_DIRTY;
            default -> Page.OWNER_SHMEM;
        };
        long n = 0;
        while ((f.pages() < 0 ? pa.globalNrFreePages() > f.leaveFreePages() : n < f.pages())
                && users.alloc(kind) != Page.NULL) {
            n++;
        }
        notes.add(String.format("line %d: fill: %d pages (%s) of %s; MemFree now %d kB", f.line(), n,
                Sizes.of(n << 12), f.kind(), pa.globalNrFreePages() * 4));
    }

    /**
     * Pins user pages at random pfns of RAM or of a CMA area: a user page found there is pinned, a free page first
     * becomes an anonymous page (placeAt). Tries a bounded number of pfns per pin.
     */
    private void pin(Scenario.Pin p) throws ScenarioException {
        MemMap mm = run.kernel().machine().memMap();
        PageUsers users = run.kernel().machine().pageUsers();
        long lo = mm.startPfn();
        long hi = mm.endPfn();
        if (p.cmaArea() != null) {
            CmaArea area = run.kernel().machine().cma().areas().stream().filter(a -> a.name().equals(p.cmaArea()))
                    .findFirst().orElseThrow(() -> new ScenarioException(scenario.file(), p.line(), "pin.where",
                            "no CMA area '" + p.cmaArea() + "' on this boot (areas: " + String.join(", ",
                                    run.kernel().machine().cma().areas().stream().map(CmaArea::name).toList())
                            + ")"));
            lo = area.basePfn();
            hi = area.basePfn() + area.count();
        }
        int pinned = 0;
        if (!p.at().isEmpty()) {
            // the oracle module's pin_cma_at: exactly these pages of the area
            for (long off : p.at()) {
                if (lo + off >= hi) {
                    throw new ScenarioException(scenario.file(), p.line(), "pin.at", String.format(
                            "offset 0x%x is beyond CMA area %s (%d pages)", off, p.cmaArea(), hi - lo));
                }
                pinned += pinAt(mm, users, lo + off, p) ? 1 : 0;
            }
        }
        for (int tries = 0; p.at().isEmpty() && pinned < p.count() && tries < 100 * p.count(); tries++) {
            pinned += pinAt(mm, users, lo + random.nextLong(hi - lo), p) ? 1 : 0;
        }
        notes.add(String.format("line %d: pin: %d of %d %s in %s", p.line(), pinned, p.count(),
                p.longTerm() ? "long-term pins (FOLL_LONGTERM)" : "short pins (released after " + p.releaseAfter()
                        + " tries)", p.cmaArea() == null ? "RAM" : "CMA area " + p.cmaArea()));
    }

    /** Pins the user page at {@code pfn}, making a free page an anonymous one first; false if it cannot. */
    private static boolean pinAt(MemMap mm, PageUsers users, long pfn, Scenario.Pin p) {
        byte owner = mm.owner(pfn);
        boolean user = owner == Page.OWNER_ANON || owner == Page.OWNER_PAGECACHE_CLEAN
                || owner == Page.OWNER_PAGECACHE_DIRTY || owner == Page.OWNER_SHMEM;
        if (user && !users.pinned(pfn) || !user && users.placeAt(pfn, Page.OWNER_ANON)) {
            users.pin(pfn, p.longTerm() ? PageUsers.LONG_TERM : p.releaseAfter());
            return true;
        }
        return false;
    }

    private void driver(Scenario.Driver d, CpuContext ctx) {
        Device dev = d.device() == null ? null : devices.get(d.device());
        String key = d.name() + "@" + d.device();
        DriverEnv env = new Env(run.kernel(), dev, ctx, d.params());
        ctx.driver = d.name();
        try {
            for (int i = 0; i < (d.action().equals("io") ? d.count() : 1); i++) {
                long start = run.clock(ctx.cpu());
                int rc;
                switch (d.action()) {
                    case "probe" -> {
                        DriverModel m = DriverModels.create(d.name());
                        run.drivers().put(key, m);
                        rc = m.probe(env);
                    }
                    case "io" -> rc = probed(key).io(env);
                    default -> {
                        probed(key).remove(env);
                        run.drivers().remove(key);
                        rc = 0;
                    }
                }
                ctx.driverCall(dev, d.action(), d.name(), start, rc, d.expect());
            }
        } finally {
            ctx.driver = null;
        }
    }

    private DriverModel probed(String key) {
        DriverModel m = run.drivers().get(key);
        if (m == null) {
            throw new IllegalStateException("driver " + key + " is not probed");
        }
        return m;
    }

    /** What a driver model sees: the kernel, its device, the recording DMA API, the scenario's params. */
    private record Env(Kernel kernel, Device device, DmaApi dma, Map<String, Long> params)
            implements DriverEnv {
        @Override
        public long param(String name, long defaultValue) {
            return params.getOrDefault(name, defaultValue);
        }
    }

    private void checkpoint(Scenario.Checkpoint c) {
        int after = run.rows().size();
        checkpoints.append(String.format("== checkpoint \"%s\" (line %d, after operation %d, at %s us)%n",
                c.label(), c.line(), after, Sizes.micros(run.clock(0))));
        for (String v : c.views()) {
            checkpoints.append("-- /proc/").append(v).append('\n')
                    .append(ProcViews.read(run.kernel().machine(), v));
        }
        checkpoints.append('\n');
    }

    /** One real thread per CPU, bound to it; the baton lets one run at a time, in an order drawn from the seed. */
    private void parallel(Scenario.Parallel p) throws ScenarioException {
        Baton baton = new Baton(new Random(seed * 31 + p.line()), p.threads().size());
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < p.threads().size(); i++) {
            Scenario.CpuThread t = p.threads().get(i);
            int id = i;
            Thread th = new Thread(() -> {
                try {
                    Current.bind(t.cpu(), t.comm(), 200 + t.cpu());
                    CpuContext ctx = new CpuContext(run, baton, id);
                    baton.await(id);
                    for (Step s : t.ops()) {
                        step(s, ctx);
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = e;
                        }
                    }
                } finally {
                    baton.finish(id);
                }
            }, "cpu" + t.cpu() + " " + t.comm());
            threads.add(th);
            th.start();
        }
        baton.begin();
        for (Thread th : threads) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (failure[0] instanceof ScenarioException e) {
            throw e;
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
    }
}
