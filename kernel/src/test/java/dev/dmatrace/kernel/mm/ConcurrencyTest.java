package dev.dmatrace.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.sched.Current;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/** zone->lock and the pcp locks: two cpus allocating and freeing at once leave a consistent machine. */
class ConcurrencyTest {

    @Test
    void twoCpus_allocAndFreeConcurrently_keepInvariants_6_1() throws Exception {
        Machine m = Machine.boot(Boards.VIRT_ARM64);
        PageAlloc pa = m.pageAlloc();
        String boot = new Vmstat(pa).buddyinfo();
        CyclicBarrier start = new CyclicBarrier(2);
        List<Throwable> errors = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int cpu = 0; cpu < 2; cpu++) {
            int c = cpu;
            Thread t = new Thread(() -> {
                Current.bind(c, "worker/" + c, 100 + c);
                SplittableRandom rnd = new SplittableRandom(c);
                List<long[]> held = new ArrayList<>();
                try {
                    start.await();
                    for (int i = 0; i < 20000; i++) {
                        if (held.isEmpty() || rnd.nextInt(10) < 6) {
                            int order = rnd.nextInt(10) < 8 ? 0 : rnd.nextInt(11);
                            long gfp = rnd.nextBoolean() ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE;
                            long p = pa.allocPages(gfp | Gfp.__GFP_NOWARN, order);
                            if (p != Page.NULL) {
                                held.add(new long[] {p, order});
                            }
                        } else {
                            long[] h = held.remove(rnd.nextInt(held.size()));
                            pa.free().freePages(h[0], (int) h[1]);
                        }
                    }
                    for (long[] h : held) {
                        pa.free().freePages(h[0], (int) h[1]);
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        pa.pcp().drainAllPages(null);
        assertThat(DebugVm.check(pa)).isEmpty();
        assertThat(new Vmstat(pa).buddyinfo()).isEqualTo(boot);
    }
}
