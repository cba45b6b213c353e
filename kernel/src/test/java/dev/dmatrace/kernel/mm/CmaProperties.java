package dev.dmatrace.kernel.mm;

import static dev.dmatrace.kernel.mm.TestBoards.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dmatrace.kernel.boot.KernelProfile;
import dev.dmatrace.kernel.boot.Machine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random mixes of movable fill, pins, cma_alloc and cma_release (mm/cma.c, alloc_contig_range per version) keep
 * every DebugVm invariant; a successful cma_alloc yields count contiguous pages inside the area, allocated, owned
 * by nobody else; migrated user pages keep their owner kind and contents.
 */
class CmaProperties {

    enum Kind { FILL, FREE_USER, PIN_LONG, PIN_SHORT, UNPIN, CMA_ALLOC, CMA_RELEASE }

    record Op(Kind kind, int a, int b) {
    }

    private static final byte[] USER_KINDS = {Page.OWNER_ANON, Page.OWNER_SHMEM, Page.OWNER_PAGECACHE_CLEAN,
        Page.OWNER_PAGECACHE_DIRTY};

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.FILL)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.FREE_USER)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.PIN_LONG)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.PIN_SHORT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.UNPIN)),
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.CMA_ALLOC)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.CMA_RELEASE))),
                Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(0, 100_000))
                .as(Op::new);
        return op.list().ofMinSize(10).ofMaxSize(60);
    }

    @Property(tries = 20)
    void randomMix_keepsInvariants_6_1(@ForAll("ops") List<Op> ops) {
        run(KernelProfile.V6_1, ops);
        // the property is about migration: some tries must have migrated pages
        Statistics.coverage(c -> c.check("migrated").count(n -> n > 0));
    }

    @Property(tries = 10)
    void randomMix_keepsInvariants_5_10(@ForAll("ops") List<Op> ops) {
        run(KernelProfile.V5_10, ops);
    }

    @Property(tries = 10)
    void randomMix_keepsInvariants_4_4(@ForAll("ops") List<Op> ops) {
        run(KernelProfile.V4_4, ops);
    }

    private static void run(KernelProfile p, List<Op> ops) {
        Machine m = Machine.create(p == KernelProfile.V4_4 ? arm(p, 64) : arm64(p, 64));
        long base = pfn(BASE + 16 * MIB);
        long areaPages = 48 * 256;
        CmaArea area = m.declareCmaArea("p", BASE + 16 * MIB, 48 * MIB, 0);
        m.boot();
        PageUsers users = m.pageUsers();
        MemMap mm = m.memMap();
        Map<Long, Byte> kinds = new HashMap<>();
        List<Long> live = new ArrayList<>();
        Set<Long> pinned = new HashSet<>();
        List<long[]> held = new ArrayList<>();
        List<Op> all = new ArrayList<>();
        // start from a machine whose CMA area already holds movable pages, so most cma_alloc calls migrate
        all.add(new Op(Kind.FILL, 11000, ops.size()));
        all.addAll(ops);
        for (Op op : all) {
            switch (op.kind()) {
                case FILL -> {
                    for (int i = 0; i < 1 + op.a() % 2000; i++) {
                        byte kind = USER_KINDS[(op.b() + i) % USER_KINDS.length];
                        long page = users.alloc(kind);
                        if (page == Page.NULL) {
                            break;
                        }
                        kinds.put(mm.content(page), kind);
                        live.add(mm.content(page));
                    }
                }
                case FREE_USER -> {
                    List<Long> free = live.stream().filter(c -> users.pfnOf(c) != Page.NULL
                            && !users.pinned(users.pfnOf(c))).toList();
                    if (!free.isEmpty()) {
                        long c = free.get(op.a() % free.size());
                        users.free(c);
                        live.remove(c);
                    }
                }
                case PIN_LONG, PIN_SHORT -> {
                    List<Long> cand = live.stream().filter(c -> users.pfnOf(c) != Page.NULL
                            && !pinned.contains(c)).toList();
                    if (!cand.isEmpty()) {
                        long c = cand.get(op.a() % cand.size());
                        if (op.kind() == Kind.PIN_LONG) {
                            users.pin(users.pfnOf(c), PageUsers.LONG_TERM);
                            pinned.add(c);
                        } else {
                            users.pin(users.pfnOf(c), 1 + op.b() % 12);
                        }
                    }
                }
                case UNPIN -> {
                    if (!pinned.isEmpty()) {
                        long c = new ArrayList<>(pinned).get(op.a() % pinned.size());
                        users.unpinLongTerm(users.pfnOf(c));
                        pinned.remove(c);
                    }
                }
                case CMA_ALLOC -> {
                    long count = 1 + op.a() % 1024;
                    int align = op.b() % 9;
                    long page = m.cma().cmaAlloc(area, count, align, true);
                    if (page != Page.NULL) {
                        assertThat(page).isBetween(base, base + areaPages - count);
                        assertThat(page & ((1L << align) - 1)).isZero();
                        Set<Long> userPfns = new HashSet<>();
                        for (long c : live) {
                            userPfns.add(users.pfnOf(c));
                        }
                        for (long q = page; q < page + count; q++) {
                            assertThat(mm.pageBuddy(q)).isFalse();
                            assertThat(mm.pageCount(q)).isEqualTo(1);
                            assertThat(mm.owner(q)).isEqualTo(Page.OWNER_KERNEL);
                            assertThat(userPfns).doesNotContain(q);
                        }
                        for (long[] h : held) {
                            assertThat(page + count <= h[0] || h[0] + h[1] <= page).isTrue();
                        }
                        held.add(new long[] {page, count});
                    }
                }
                case CMA_RELEASE -> {
                    if (!held.isEmpty()) {
                        long[] h = held.remove(op.a() % held.size());
                        assertThat(m.cma().cmaRelease(area, h[0], h[1])).isTrue();
                    }
                }
            }
            assertThat(DebugVm.check(m.pageAlloc())).as("after %s", op).isEmpty();
            checkUsers(users, mm, live, kinds);
        }
        Statistics.collect(m.pageAlloc().vmEvents().sum(VmEvents.PGMIGRATE_SUCCESS) > 0
                ? "migrated" : "nothing migrated");
    }

    private static void checkUsers(PageUsers users, MemMap mm, List<Long> live, Map<Long, Byte> kinds) {
        for (long c : live) {
            long now = users.pfnOf(c);
                if (now != Page.NULL) {
                    assertThat(mm.content(now)).isEqualTo(c);
                    assertThat(mm.owner(now)).isEqualTo(kinds.get(c));
                } else {
                    assertThat(kinds.get(c)).as("only clean file pages are dropped")
                        .isEqualTo(Page.OWNER_PAGECACHE_CLEAN);
            }
        }
    }
}
