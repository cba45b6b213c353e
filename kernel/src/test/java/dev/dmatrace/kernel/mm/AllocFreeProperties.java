package dev.dmatrace.kernel.mm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.Arch;
import dev.dmatrace.kernel.boot.Board;
import dev.dmatrace.kernel.boot.Boards;
import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import dev.dmatrace.kernel.sched.Current;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random alloc/free sequences (__alloc_pages / __free_pages on every version's rules) keep every DebugVm
 * invariant after every operation, and freeing everything plus drain_all_pages() gives back the boot buddyinfo.
 */
class AllocFreeProperties {

    private static final long MIB = 1L << 20;

    record Op(boolean alloc, int order, long gfp, int victim, int cpu) {
    }

    static final Board ARM_44 = Boards.VEXPRESS_ARM_44;
    static final Board ARM64_61 = new Board("t-arm64", "test", Arch.ARM64, KernelProfile.V6_1,
            List.of(new Board.Bank(0x40000000L, 512 * MIB)), 2, 16 * MIB);
    /** DMA (16 MiB), DMA32 and a small Normal above 4 GiB. */
    static final Board X86_510 = new Board("t-x86", "test", Arch.X86_64, KernelProfile.V5_10,
            List.of(new Board.Bank(0x100000L, 64 * MIB), new Board.Bank(4L << 30, 32 * MIB)), 2, 4 * MIB);

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Long> gfp = Arbitraries.of(Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE,
                Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE, Gfp.GFP_KERNEL | Gfp.__GFP_DMA32,
                Gfp.GFP_KERNEL | Gfp.__GFP_DMA, Gfp.GFP_USER | Gfp.__GFP_MOVABLE | Gfp.__GFP_NOWARN,
                Gfp.GFP_NOWAIT | Gfp.__GFP_NOWARN);
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 10), gfp, Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 1))
                .as((kind, order, g, victim, cpu) -> new Op(kind < 60, order < 6 ? 0 : order - 5 + (order % 2), g,
                        victim, cpu));
        return op.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 25)
    void randomOps_keepInvariants_arm44(@ForAll("ops") List<Op> ops) {
        run(ARM_44, ops);
    }

    @Property(tries = 25)
    void randomOps_keepInvariants_arm64_61(@ForAll("ops") List<Op> ops) {
        run(ARM64_61, ops);
    }

    @Property(tries = 15)
    void randomOps_keepInvariants_x86_510(@ForAll("ops") List<Op> ops) {
        run(X86_510, ops);
    }

    /** 6.1 with a 32 MiB CMA area: movable requests use it, the CMA counters stay exact. */
    @Property(tries = 20)
    void randomOps_keepInvariants_arm64_61_withCma(@ForAll("ops") List<Op> ops) {
        Machine m = Machine.create(ARM64_61);
        m.declareCmaArea(0x40000000L + 256 * MIB, 32 * MIB);
        m.boot();
        run(m, ops, true);
    }

    /** Atomic high-order requests reserve HIGHATOMIC pageblocks, which stay: only the invariants are checked. */
    @Property(tries = 15)
    void randomAtomicOps_keepInvariants_arm64_61_and_x86_510(@ForAll("ops") List<Op> ops) {
        List<Op> atomic = ops.stream().map(o -> new Op(o.alloc(), o.order(), o.gfp() % 3 == 0 ? Gfp.GFP_ATOMIC
                : o.gfp(), o.victim(), o.cpu())).toList();
        run(Machine.boot(ARM64_61), atomic, false);
        run(Machine.boot(X86_510), atomic, false);
    }

    private void run(Board board, List<Op> ops) {
        run(Machine.boot(board), ops, true);
    }

    private void run(Machine m, List<Op> ops, boolean backToBoot) {
        PageAlloc pa = m.pageAlloc();
        Vmstat vmstat = new Vmstat(pa);
        String boot = vmstat.buddyinfo();
        List<long[]> held = new ArrayList<>();
        try {
            for (Op op : ops) {
                Current.bindCpu(op.cpu());
                if (op.alloc() || held.isEmpty()) {
                    long page = pa.allocPages(op.gfp(), op.order());
                    if (page != Page.NULL) {
                        held.add(new long[] {page, op.order()});
                    }
                } else {
                    long[] h = held.remove(op.victim() % held.size());
                    pa.free().freePages(h[0], (int) h[1]);
                }
                assertThat(DebugVm.check(pa)).as("after %s", op).isEmpty();
            }
            for (long[] h : held) {
                pa.free().freePages(h[0], (int) h[1]);
            }
            pa.pcp().drainAllPages(null);
            assertThat(DebugVm.check(pa)).isEmpty();
            if (backToBoot) {
                assertThat(vmstat.buddyinfo()).isEqualTo(boot);
            }
        } finally {
            Current.bindCpu(0);
        }
    }
}
